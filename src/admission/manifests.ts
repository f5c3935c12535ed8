/**
 * `bosun admission manifests`: everything needed to run the webhook in a cluster, as plain
 * objects. The Deployment meets Pod Security Standards `restricted` (non-root, no privilege
 * escalation, all capabilities dropped, RuntimeDefault seccomp, read-only root filesystem); its
 * only API access is listing Namespaces (for their Pod Security Standards labels). The webhook
 * configuration uses `failurePolicy: Fail` (an unreachable webhook must not become a bypass),
 * `timeoutSeconds: 5`, `sideEffects: None`, and exempts kube-system and bosun's own namespace
 * so the cluster and bosun itself can always recover.
 */
import jsyaml from 'js-yaml';
import { KUBERNETES_SCHEMA } from '../manifests/yaml-schema.ts';
import { VERSION } from '../version.ts';
import type { WebhookCerts } from './certs.ts';
import { WEBHOOK_RULES, type WebhookRule } from './webhook-rules.ts';

export interface ManifestOptions {
  namespace: string;
  /** Default `ghcr.io/bosun-dev/bosun:<version>`. */
  image?: string;
  replicas?: number;
  /** Serving certificate (and CA) to put into a Secret and the caBundle. */
  certs?: WebhookCerts;
  /** Let cert-manager issue the certificate and inject the CA instead. */
  certManager?: boolean;
  failurePolicy?: 'Fail' | 'Ignore';
  timeoutSeconds?: number;
  /** bosun.yaml for the webhook (default: none, i.e. the default policy). */
  config?: string;
  /** More ConfigMap entries next to bosun.yaml (the files it names; see config-bundle.ts), by key. */
  configFiles?: Record<string, string>;
  /** Webhook rules after WEBHOOK_RULES: what the policies match (see webhook-rules.ts). */
  rules?: readonly WebhookRule[];
}

type Obj = Record<string, unknown>;

export const NAME = 'bosun-admission';
const LABELS = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'bosun' };
const PORT = 8443;

export { WEBHOOK_RULES } from './webhook-rules.ts';

export function admissionManifests(o: ManifestOptions): Obj[] {
  const ns = o.namespace;
  const meta = (name: string, extra: Obj = {}): Obj => ({ name, namespace: ns, labels: LABELS, ...extra });
  const out: Obj[] = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { ...LABELS, 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(NAME), automountServiceAccountToken: false },
    // Read-only access to Namespaces: their Pod Security Standards labels set each namespace's level.
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${NAME}-namespaces`, labels: LABELS }, rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${NAME}-namespaces`, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${NAME}-namespaces` },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${NAME}-config`), data: { 'bosun.yaml': o.config ?? '# bosun admission: no configuration = PSS baseline:latest and the critical built-in checks enforced, high ones warned\n{}\n', ...o.configFiles } },
  ];
  if (o.certManager === true) {
    out.push(
      { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(`${NAME}-selfsigned`), spec: { selfSigned: {} } },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: meta(NAME),
        spec: {
          secretName: `${NAME}-tls`,
          dnsNames: [`${NAME}.${ns}.svc`, `${NAME}.${ns}.svc.cluster.local`],
          issuerRef: { name: `${NAME}-selfsigned`, kind: 'Issuer' },
          privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        },
      },
    );
  } else if (o.certs !== undefined) {
    out.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(`${NAME}-tls`),
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(o.certs.cert), 'tls.key': b64(o.certs.key), 'ca.crt': b64(o.certs.caCert) },
    });
  }
  out.push(deployment(o, meta), {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(NAME),
    spec: { maxUnavailable: 1, selector: { matchLabels: LABELS } },
  });
  out.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(NAME),
    spec: { selector: LABELS, ports: [{ name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' }] },
  });
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(NAME),
    spec: {
      podSelector: { matchLabels: LABELS },
      policyTypes: ['Ingress', 'Egress'],
      // The API server's source address differs per distribution: admit any source, on the webhook port only.
      ingress: [{ ports: [{ port: PORT, protocol: 'TCP' }] }],
      // DNS, and registries over HTTPS for signature checks.
      egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] }],
    },
  });
  out.push(webhookConfiguration(o));
  return out;
}

function deployment(o: ManifestOptions, meta: (name: string, extra?: Obj) => Obj): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(NAME, {
      annotations: {
        'bosun.dev/ignore': 'K8S-SA-TOKEN-AUTOMOUNT',
        'bosun.dev/ignore-reason': 'The webhook lists Namespaces (get/list only) to read their Pod Security Standards labels.',
      },
    }),
    spec: {
      replicas: o.replicas ?? 3,
      revisionHistoryLimit: 5,
      selector: { matchLabels: LABELS },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: NAME,
          // The token is needed to list Namespaces (the only API call the webhook makes).
          automountServiceAccountToken: true,
          // Spread replicas over nodes so one node going down cannot take admission with it.
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: LABELS } } }],
            },
          },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: LABELS } }],
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'webhook',
              image: o.image ?? `ghcr.io/bosun-dev/bosun:${VERSION}`,
              imagePullPolicy: 'Always',
              args: ['admission', 'serve', '--config', '/etc/bosun/config/bosun.yaml', '--tls-cert', '/etc/bosun/tls/tls.crt', '--tls-key', '/etc/bosun/tls/tls.key', '--host', '0.0.0.0', '--port', String(PORT), '--namespace-labels'],
              ports: [{ name: 'https', containerPort: PORT, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                runAsUser: 65532,
                runAsGroup: 65532,
                privileged: false,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: [
                { name: 'tls', mountPath: '/etc/bosun/tls', readOnly: true },
                { name: 'config', mountPath: '/etc/bosun/config', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'tls', secret: { secretName: `${NAME}-tls` } },
            { name: 'config', configMap: { name: `${NAME}-config` } },
          ],
        },
      },
    },
  };
}

function webhookConfiguration(o: ManifestOptions): Obj {
  const ns = o.namespace;
  const clientConfig: Obj = { service: { namespace: ns, name: NAME, path: '/validate', port: 443 } };
  if (o.certManager !== true && o.certs !== undefined) clientConfig['caBundle'] = b64(o.certs.caCert);
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: NAME, labels: LABELS, ...(o.certManager === true && { annotations: { 'cert-manager.io/inject-ca-from': `${ns}/${NAME}` } }) },
    webhooks: [
      {
        name: 'validate.bosun.dev',
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: o.failurePolicy ?? 'Fail',
        timeoutSeconds: o.timeoutSeconds ?? 5,
        matchPolicy: 'Equivalent',
        clientConfig,
        rules: [...WEBHOOK_RULES, ...(o.rules ?? [])],
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', ns] }] },
        // Mirror pods of static pods are created by the kubelet for pods it runs anyway; denying
        // them would only hide those pods from the API.
        matchConditions: [{ name: 'not-kubelet-mirror-pods', expression: "!('system:nodes' in request.userInfo.groups)" }],
      },
    ],
  };
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** YAML that kubectl reads back as these objects: strings Kubernetes would take for numbers or booleans (`1_000`, `on`) are quoted. */
export function renderManifests(objects: readonly Obj[]): string {
  return objects.map((o) => jsyaml.dump(o, { lineWidth: -1, noRefs: true, quotingType: '"', schema: KUBERNETES_SCHEMA })).join('---\n');
}
