/**
 * bosun's default audit rules, written for bosun in Falco's rule language (so they load in Falco
 * too, with the k8saudit and json plugins). They cover the ground of the upstream k8s audit
 * ruleset; users extend them with their own files (`--rules`), appending to the lists below.
 * Shipped as a string so the package needs no data files beside dist/.
 */
export const DEFAULT_RULES_NAME = 'bosun-default-audit-rules.yaml';

export const DEFAULT_RULES_YAML = `# bosun default Kubernetes audit rules (Falco rule language, source k8s_audit)
- required_engine_version: 15

- list: bosun_complete_stages
  items: [ResponseComplete]

- macro: bosun_event
  condition: jevt.value[/stage] in (bosun_complete_stages)

- macro: bosun_started
  condition: jevt.value[/stage]=ResponseStarted

- macro: bosun_success
  condition: ka.response.code startswith 2

- macro: bosun_create
  condition: ka.verb=create

- macro: bosun_write
  condition: ka.verb in (create, update, patch)

- macro: bosun_change
  condition: ka.verb in (create, update, patch, delete, deletecollection)

- macro: bosun_pod
  condition: ka.target.resource=pods and not ka.target.subresource exists

- macro: bosun_human
  condition: not ka.user.name startswith "system:"

# Users (besides system: identities) expected to act on the cluster; append your own.
- list: bosun_allowed_users
  items: [kubernetes-admin, kube-apiserver-healthcheck, cluster-autoscaler, vpa-recommender, vpa-updater]

# Images trusted to run privileged or with host access; append your own (repository, no tag).
- list: bosun_trusted_privileged_images
  items: [registry.k8s.io/kube-proxy, calico/node, docker.io/calico/node, quay.io/calico/node, falcosecurity/falco, docker.io/falcosecurity/falco]

- list: bosun_trusted_host_images
  items: [registry.k8s.io/kube-proxy, calico/node, docker.io/calico/node, quay.io/calico/node, falcosecurity/falco, docker.io/falcosecurity/falco, prom/node-exporter, quay.io/prometheus/node-exporter]

- list: bosun_sensitive_host_paths
  items: [/, /etc, /proc, /root, /var/run/docker.sock, /run/containerd/containerd.sock, /var/run/crio/crio.sock, /var/lib/kubelet, /var/lib/kubelet/pki, /etc/kubernetes, /etc/kubernetes/manifests, /home/admin, /dev]

- list: bosun_system_namespaces
  items: [kube-system, kube-public, kube-node-lease]

- list: bosun_known_system_service_accounts
  items: [attachdetach-controller, bootstrap-signer, certificate-controller, clusterrole-aggregation-controller, coredns, cronjob-controller, daemon-set-controller, default, deployment-controller, disruption-controller, endpoint-controller, endpointslice-controller, endpointslicemirroring-controller, ephemeral-volume-controller, expand-controller, generic-garbage-collector, horizontal-pod-autoscaler, job-controller, kube-proxy, namespace-controller, node-controller, persistent-volume-binder, pod-garbage-collector, pv-protection-controller, pvc-protection-controller, replicaset-controller, replication-controller, resourcequota-controller, root-ca-cert-publisher, service-account-controller, service-controller, statefulset-controller, token-cleaner, ttl-after-finished-controller, ttl-controller]

- list: bosun_health_paths
  items: [/healthz, /livez, /readyz]

- macro: bosun_any_privileged
  condition: >
    ka.req.pod.containers.privileged intersects (true)
    or ka.req.pod.initContainers.privileged intersects (true)
    or ka.req.pod.ephemeralContainers.privileged intersects (true)

- macro: bosun_trusted_privileged
  condition: ka.req.pod.containers.image.repository in (bosun_trusted_privileged_images)

- macro: bosun_trusted_host
  condition: ka.req.pod.containers.image.repository in (bosun_trusted_host_images)

- rule: Anonymous Request Allowed
  desc: The anonymous user was allowed to do something other than a health check. Anonymous access should be off (--anonymous-auth=false) or limited to health endpoints.
  condition: bosun_event and ka.user.name=system:anonymous and ka.auth.decision=allow and not ka.uri in (bosun_health_paths)
  output: Anonymous request allowed (user=%ka.user.name verb=%ka.verb uri=%ka.uri reason=%ka.auth.reason)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, authentication, bosun]

- rule: Exec or Attach into Pod
  desc: Someone opened an interactive session in a running container (exec or attach), which bypasses image provenance and is a common step of an intrusion.
  condition: bosun_started and ka.target.resource=pods and ka.target.subresource in (exec, attach) and ka.verb in (create, get)
  output: Exec/attach into pod (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace action=%ka.target.subresource command=%ka.uri.param[command] container=%ka.uri.param[container])
  priority: WARNING
  source: k8s_audit
  tags: [k8s, execution, bosun]

- rule: Port-forward into Pod
  desc: A port of a pod was forwarded to a client, reaching it around Services and NetworkPolicies.
  condition: bosun_started and ka.target.resource=pods and ka.target.subresource=portforward
  output: Port-forward into pod (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, lateral-movement, bosun]

- rule: Ephemeral Container Added
  desc: An ephemeral (debug) container was added to a running pod; it runs with the pod's identity and can carry any image.
  condition: bosun_event and ka.target.resource=pods and ka.target.subresource=ephemeralcontainers and bosun_write and bosun_success
  output: Ephemeral container added (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace images=%ka.req.pod.ephemeralContainers.image)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, execution, bosun]

- rule: Privileged Pod Created
  desc: A pod with a privileged container (regular, init or ephemeral) was created; privileged containers can take over the node.
  condition: bosun_event and bosun_pod and bosun_create and bosun_any_privileged and not bosun_trusted_privileged
  output: Privileged pod created (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace images=%ka.req.pod.containers.image init_images=%ka.req.pod.initContainers.image)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, privilege-escalation, bosun]

- rule: Pod With Sensitive Host Mount Created
  desc: A pod mounting a sensitive host path (the root filesystem, /etc, /proc, a container runtime socket, kubelet credentials) was created.
  condition: bosun_event and bosun_pod and bosun_create and ka.req.pod.volumes.hostpath intersects (bosun_sensitive_host_paths) and not bosun_trusted_host
  output: Pod with sensitive host mount created (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace images=%ka.req.pod.containers.image hostpaths=%ka.req.pod.volumes.hostpath)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, privilege-escalation, bosun]

- rule: Pod With HostPath Volume Created
  desc: A pod mounting any host path was created; host paths break the container boundary.
  condition: bosun_event and bosun_pod and bosun_create and ka.req.pod.volumes.hostpath exists and not ka.req.pod.volumes.hostpath intersects (bosun_sensitive_host_paths) and not bosun_trusted_host
  output: Pod with hostPath volume created (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace hostpaths=%ka.req.pod.volumes.hostpath)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, privilege-escalation, bosun]

- rule: Pod Sharing Host Namespaces Created
  desc: A pod sharing the node's network, PID or IPC namespace was created.
  condition: bosun_event and bosun_pod and bosun_create and (ka.req.pod.host_network=true or ka.req.pod.host_pid=true or ka.req.pod.host_ipc=true) and not bosun_trusted_host
  output: Pod sharing host namespaces created (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace hostNetwork=%ka.req.pod.host_network hostPID=%ka.req.pod.host_pid hostIPC=%ka.req.pod.host_ipc images=%ka.req.pod.containers.image)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, privilege-escalation, bosun]

- rule: Pod Created in System Namespace
  desc: A pod was created directly in a system namespace by a user rather than a controller.
  condition: bosun_event and bosun_pod and bosun_create and ka.target.namespace in (bosun_system_namespaces) and bosun_human
  output: Pod created in system namespace (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace images=%ka.req.pod.containers.image)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, persistence, bosun]

- rule: ClusterRole or Role With Wildcard Created
  desc: A Role or ClusterRole granting every resource or every verb was created or changed.
  condition: bosun_event and ka.target.resource in (roles, clusterroles) and bosun_write and (ka.req.role.rules.resources intersects ("*") or ka.req.role.rules.verbs intersects ("*") or ka.req.role.rules.apiGroups intersects ("*"))
  output: Role with wildcard (user=%ka.user.name role=%ka.target.name ns=%ka.target.namespace resource=%ka.target.resource rules=%ka.req.role.rules)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, privilege-escalation, rbac, bosun]

- rule: ClusterRole or Role With Write Privileges Created
  desc: A Role or ClusterRole granting write verbs was created.
  condition: bosun_event and ka.target.resource in (roles, clusterroles) and bosun_create and ka.req.role.rules.verbs intersects (create, update, patch, delete, deletecollection, escalate, bind, impersonate)
  output: Role with write privileges (user=%ka.user.name role=%ka.target.name ns=%ka.target.namespace verbs=%ka.req.role.rules.verbs)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, rbac, bosun]

- rule: ClusterRole or Role With Pod Exec Created
  desc: A Role or ClusterRole granting exec or attach into pods was created.
  condition: bosun_event and ka.target.resource in (roles, clusterroles) and bosun_write and ka.req.role.rules.resources intersects (pods/exec, pods/attach)
  output: Role with pod exec (user=%ka.user.name role=%ka.target.name ns=%ka.target.namespace rules=%ka.req.role.rules)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, execution, rbac, bosun]

- rule: Binding to cluster-admin Created
  desc: A RoleBinding or ClusterRoleBinding to cluster-admin was created, handing out full control of the cluster.
  condition: bosun_event and ka.target.resource in (clusterrolebindings, rolebindings) and bosun_create and ka.req.binding.role=cluster-admin
  output: Binding to cluster-admin (user=%ka.user.name binding=%ka.target.name ns=%ka.target.namespace subjects=%ka.req.binding.subjects)
  priority: CRITICAL
  source: k8s_audit
  tags: [k8s, privilege-escalation, rbac, bosun]

- rule: System ClusterRole Modified or Deleted
  desc: A built-in ClusterRole or Role (name starting with system:) was changed or deleted by a person.
  condition: bosun_event and ka.target.resource in (roles, clusterroles) and ka.verb in (update, patch, delete) and ka.target.name startswith "system:" and not ka.target.name in (system:coredns, system:managed-certificate-controller) and bosun_human
  output: System role changed (user=%ka.user.name role=%ka.target.name action=%ka.verb)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, persistence, rbac, bosun]

- rule: Secret Read by User
  desc: A person (not a system identity) read a Secret successfully.
  condition: bosun_event and ka.target.resource=secrets and ka.verb in (get, list, watch) and bosun_success and bosun_human
  output: Secret read (user=%ka.user.name secret=%ka.target.name ns=%ka.target.namespace verb=%ka.verb)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, credential-access, bosun]

- rule: Secret Access Denied
  desc: A request to read a Secret was refused; repeated refusals are a sign of credential hunting.
  condition: bosun_event and ka.target.resource=secrets and ka.verb in (get, list, watch) and not bosun_success
  output: Secret access denied (user=%ka.user.name secret=%ka.target.name ns=%ka.target.namespace verb=%ka.verb resp=%ka.response.code)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, credential-access, bosun]

- rule: ConfigMap With Credentials
  desc: A ConfigMap holding what looks like a credential (password, token, private key, cloud access key) was created or changed; credentials belong in Secrets.
  condition: bosun_event and ka.target.resource=configmaps and bosun_write and (ka.req.configmap.obj icontains password or ka.req.configmap.obj icontains passphrase or ka.req.configmap.obj icontains aws_access_key_id or ka.req.configmap.obj icontains aws_secret_access_key or ka.req.configmap.obj contains "PRIVATE KEY" or ka.req.configmap.obj icontains api_key or ka.req.configmap.obj icontains "client_secret")
  output: ConfigMap with credentials (user=%ka.user.name configmap=%ka.target.name ns=%ka.target.namespace verb=%ka.verb)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, credential-access, bosun]

- rule: NodePort Service Created
  desc: A Service of type NodePort was created, opening a port on every node.
  condition: bosun_event and ka.target.resource=services and bosun_write and ka.req.service.type=NodePort
  output: NodePort service (user=%ka.user.name service=%ka.target.name ns=%ka.target.namespace ports=%ka.req.service.ports)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, network, bosun]

- rule: Ingress Without TLS Created
  desc: An Ingress without TLS was created, serving plain HTTP.
  condition: bosun_event and ka.target.resource=ingresses and bosun_create and bosun_success and not jevt.value[/requestObject/spec/tls] exists
  output: Ingress without TLS (user=%ka.user.name ingress=%ka.target.name ns=%ka.target.namespace)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, network, bosun]

- rule: Namespace Created or Deleted
  desc: A namespace was created or deleted by a person.
  condition: bosun_event and ka.target.resource=namespaces and ka.verb in (create, delete) and bosun_success and bosun_human
  output: Namespace %ka.verb (user=%ka.user.name namespace=%ka.target.name)
  priority: INFO
  source: k8s_audit
  tags: [k8s, bosun]

- rule: Service Account Created in System Namespace
  desc: A service account that is not one of the built-in controllers' was created in a system namespace.
  condition: bosun_event and ka.target.resource=serviceaccounts and bosun_create and bosun_success and ka.target.namespace in (bosun_system_namespaces) and not ka.target.name in (bosun_known_system_service_accounts)
  output: Service account created in system namespace (user=%ka.user.name serviceaccount=%ka.target.name ns=%ka.target.namespace)
  priority: WARNING
  source: k8s_audit
  tags: [k8s, persistence, bosun]

- rule: System Namespace Object Changed by User
  desc: A person changed or deleted objects in a system namespace.
  condition: bosun_event and ka.target.namespace in (bosun_system_namespaces) and bosun_change and bosun_success and bosun_human and not ka.target.resource in (events, leases)
  output: Change in system namespace (user=%ka.user.name verb=%ka.verb target=%ka.target.resource/%ka.target.name ns=%ka.target.namespace)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, persistence, bosun]

- rule: Impersonated Request
  desc: A request was made while impersonating another user; only administrators and known automation should impersonate.
  condition: bosun_event and ka.impuser.name exists and bosun_human
  output: Impersonated request (user=%ka.user.name as=%ka.impuser.name verb=%ka.verb target=%ka.target.resource/%ka.target.name ns=%ka.target.namespace)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, privilege-escalation, bosun]

- rule: Pod Security Violation Audited
  desc: The API server's Pod Security admission recorded a violation of the namespace's audit level.
  condition: bosun_event and ka.security.pod.violations exists
  output: Pod Security violation (user=%ka.user.name target=%ka.target.resource/%ka.target.name ns=%ka.target.namespace violations=%ka.security.pod.violations)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, pss, bosun]

- rule: Request by Unexpected User
  desc: A user that is neither a system identity nor in bosun_allowed_users acted on the cluster. Append your administrators and automation to bosun_allowed_users.
  condition: bosun_event and bosun_human and not ka.user.name in (bosun_allowed_users)
  output: Request by user outside the allowed list (user=%ka.user.name verb=%ka.verb target=%ka.target.resource/%ka.target.name ns=%ka.target.namespace resp=%ka.response.code)
  priority: NOTICE
  source: k8s_audit
  tags: [k8s, authentication, bosun]
`;
