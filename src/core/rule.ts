import type { FrameworkMap, Severity } from './finding.ts';

/** Everything a user (or SARIF) needs to know about a rule, independent of any one finding. */
export interface RuleMeta {
  /** Stable bosun ID, e.g. `K8S-PRIVILEGED` or `pss/privileged`. */
  id: string;
  title: string;
  severity: Severity;
  /** Why the rule exists, in plain words. */
  description: string;
  remediation: string;
  /** The exact fields the rule reads, e.g. `spec.containers[*].securityContext.privileged`. */
  fields: string[];
  frameworks: FrameworkMap;
  /** Peer IDs for the same concept (KSV-0017, CKV_K8S_16, C-0057, …). */
  aliases: string[];
  /** Rule family for grouping: `pod-security`, `rbac`, `network`, `pss` … */
  category: string;
  /** Links to upstream documentation. */
  references?: string[];
}
