/**
 * The ValidatingWebhookConfiguration's `rules`: what the apiserver sends to the webhook. Always
 * the pod-bearing kinds (WEBHOOK_RULES); with policies, also what they match, or a policy on
 * Services or Namespaces would never see a request. A ValidatingAdmissionPolicy's rule is sent
 * as written: its operations (DELETE, CONNECT and subresources such as `pods/exec` or
 * `deployments/scale` are judged by the policies alone) and resources. bosun Rules judge objects
 * that run: CREATE and UPDATE of the kinds they name.
 */
import type { PolicySet } from '../policy/policy-set.ts';
import { ResourceMapper } from '../policy/resources.ts';

export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
  scope: string;
}

/** The resources the webhook reviews: every pod-bearing kind, and ephemeral containers. */
export const WEBHOOK_RULES: readonly WebhookRule[] = [
  { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers', 'podtemplates'], scope: 'Namespaced' },
  { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], scope: 'Namespaced' },
  { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs', 'cronjobs'], scope: 'Namespaced' },
];

/** The apiserver never sends its admission configuration objects to webhooks; rules for them would only mislead. */
const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const EVALUATED_OPERATIONS = ['CREATE', 'UPDATE'];
/** What ValidatingAdmissionPolicies are evaluated on in the webhook (bosun Rules: EVALUATED_OPERATIONS). */
const POLICY_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

/** Built-in kinds a bosun Rule's `match.kinds` can name, with the apiVersion to register them at. */
const BUILTIN_KIND_VERSIONS: Record<string, string> = {
  ...Object.fromEntries(
    ['Pod', 'Service', 'ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'ReplicationController', 'PodTemplate', 'Endpoints', 'LimitRange', 'ResourceQuota', 'Node', 'Event'].map((k) => [k, 'v1']),
  ),
  ...Object.fromEntries(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision'].map((k) => [k, 'apps/v1'])),
  ...Object.fromEntries(['Job', 'CronJob'].map((k) => [k, 'batch/v1'])),
  ...Object.fromEntries(['NetworkPolicy', 'Ingress', 'IngressClass'].map((k) => [k, 'networking.k8s.io/v1'])),
  ...Object.fromEntries(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'].map((k) => [k, 'rbac.authorization.k8s.io/v1'])),
  ...Object.fromEntries(['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'].map((k) => [k, 'storage.k8s.io/v1'])),
  ...Object.fromEntries(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'].map((k) => [k, `${ADMISSION_GROUP}/v1`])),
  PodDisruptionBudget: 'policy/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PriorityClass: 'scheduling.k8s.io/v1',
  RuntimeClass: 'node.k8s.io/v1',
  CertificateSigningRequest: 'certificates.k8s.io/v1',
  Lease: 'coordination.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  APIService: 'apiregistration.k8s.io/v1',
};

export interface PolicyRules {
  /** Rules to add after WEBHOOK_RULES: what the policies match and WEBHOOK_RULES does not already send. */
  rules: WebhookRule[];
  /** What could not be registered, and why (for stderr). */
  notes: string[];
}

/** Webhook rules for what the policies' matchConstraints and the Rules' `match.kinds` name. */
export function policyWebhookRules(set: PolicySet): PolicyRules {
  const notes: string[] = [];
  const wanted: WebhookRule[] = [];
  for (const p of set.policies) {
    const spec = p.object['spec'] as Record<string, unknown>;
    const match = spec['matchConstraints'] as Record<string, unknown> | undefined;
    const resourceRules = Array.isArray(match?.['resourceRules']) ? (match['resourceRules'] as unknown[]) : [];
    resourceRules.forEach((r, i) => {
      const rule = fromResourceRule(r, `ValidatingAdmissionPolicy ${p.name}: matchConstraints.resourceRules[${i}]`, notes);
      if (rule !== undefined) wanted.push(rule);
    });
  }
  for (const { rule } of set.rules) {
    const what = `Rule ${rule.name}`;
    if (rule.kinds === undefined || rule.kinds.includes('*')) {
      // A pod-spec rule only ever applies to pod-bearing kinds, which WEBHOOK_RULES sends.
      if (!rule.podSpec) notes.push(`${what} matches every kind; the webhook is sent only the pod-bearing kinds and those the policies name (list the kinds in match.kinds)`);
      continue;
    }
    for (const kind of rule.kinds) {
      const apiVersion = BUILTIN_KIND_VERSIONS[kind];
      if (apiVersion === undefined) {
        notes.push(`${what}: kind ${kind} is not a built-in kind bosun can map to a resource; add a webhook rule for it yourself`);
        continue;
      }
      const info = new ResourceMapper().resolve(apiVersion, kind);
      if (info.group === ADMISSION_GROUP) {
        notes.push(`${what}: ${kind} objects are never sent to admission webhooks; left out`);
        continue;
      }
      if (rule.apiGroups !== undefined && !rule.apiGroups.includes(info.group) && !rule.apiGroups.includes('*')) {
        notes.push(`${what}: kind ${kind} is in API group "${info.group}", which match.apiGroups leaves out; add a webhook rule for it yourself if it is a custom kind`);
        continue;
      }
      wanted.push({ apiGroups: [info.group], apiVersions: [info.version], operations: [...EVALUATED_OPERATIONS], resources: [info.resource], scope: info.namespaced ? 'Namespaced' : 'Cluster' });
    }
  }
  return { rules: mergeRules(wanted), notes };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === 'string'))] : [];
}

/** One VAP resourceRule as a webhook rule, or undefined (with a note) when nothing of it can be sent. */
function fromResourceRule(raw: unknown, what: string, notes: string[]): WebhookRule | undefined {
  const r = (raw ?? {}) as Record<string, unknown>;
  const asked = strings(r['operations']);
  const operations = asked.includes('*') ? [...POLICY_OPERATIONS] : POLICY_OPERATIONS.filter((o) => asked.includes(o));
  if (operations.length === 0) {
    notes.push(`${what} asks only for ${asked.join(', ') || 'no operation'}, which the webhook admits without evaluating; left out`);
    return undefined;
  }
  const apiGroups = strings(r['apiGroups']).filter((g) => g !== ADMISSION_GROUP);
  if (apiGroups.length === 0) {
    if (strings(r['apiGroups']).length > 0) notes.push(`${what}: ${ADMISSION_GROUP} objects are never sent to admission webhooks; left out`);
    return undefined;
  }
  // As written: the apiserver's rule matcher reads `x/y`, `x/*` and `*/y` as the policy's does.
  const resources = strings(r['resources']);
  const apiVersions = strings(r['apiVersions']);
  if (resources.length === 0 || apiVersions.length === 0) return undefined;
  const scope = typeof r['scope'] === 'string' ? r['scope'] : '*';
  return { apiGroups, apiVersions, operations, resources: [...new Set(resources)], scope };
}

const has = (list: readonly string[], value: string): boolean => list.includes('*') || list.includes(value);

/** Whether `by` already sends `resource` of `rule` for all of rule's groups, versions, operations and scope. */
function covers(by: WebhookRule, rule: WebhookRule, resource: string): boolean {
  if (!has(by.resources, resource)) return false;
  if (!rule.apiGroups.every((g) => has(by.apiGroups, g)) || !rule.apiVersions.every((v) => has(by.apiVersions, v)) || !rule.operations.every((o) => has(by.operations, o))) return false;
  if (by.scope === '*' || by.scope === rule.scope) return true;
  // A resource WEBHOOK_RULES names is namespaced: scope * asks for nothing more than Namespaced does.
  return rule.scope === '*' && resource !== '*' && WEBHOOK_RULES.includes(by) && by.resources.includes(resource);
}

/** Drops what WEBHOOK_RULES or an earlier rule already sends, and joins rules that differ only in resources. */
function mergeRules(wanted: readonly WebhookRule[]): WebhookRule[] {
  const merged = new Map<string, WebhookRule>();
  for (const rule of wanted) {
    const sent = [...WEBHOOK_RULES, ...merged.values()];
    const resources = rule.resources.filter((res) => !sent.some((by) => covers(by, rule, res)));
    if (resources.length === 0) continue;
    const key = JSON.stringify([[...rule.apiGroups].sort(), [...rule.apiVersions].sort(), rule.operations, rule.scope]);
    const into = merged.get(key);
    if (into === undefined) merged.set(key, { ...rule, resources });
    else into.resources.push(...resources.filter((r) => !into.resources.includes(r)));
  }
  return [...merged.values()];
}
