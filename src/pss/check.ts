/**
 * The shape of a Pod Security Standards check, and the pod view every check reads.
 *
 * A check is data: an ID, a level, the reason PSA prints, an optional override of a baseline
 * check, and version-gated variants. A variant applies from `minVersion` (the minor of v1.N)
 * until the next variant's `minVersion`; `exemptions` name pod properties that skip the check
 * at that variant (PSA's Windows and user-namespace relaxations).
 */
import type { FrameworkMap, Severity } from '../core/finding.ts';
import type { ContainerGroup } from '../manifests/workload.ts';
import type { Path } from '../manifests/path.ts';

/** One container as the checks see it, with its path relative to `{metadata, spec}`. */
export interface PodContainer {
  name: string;
  group: ContainerGroup;
  index: number;
  /** `['spec', group, index]` */
  path: Path;
  container: Record<string, unknown>;
  /** The container's securityContext, or undefined when it has none. */
  securityContext: Record<string, unknown> | undefined;
}

/** The pod, read once per evaluation and shared by every check. */
export interface PodView {
  annotations: Record<string, unknown> | undefined;
  spec: Record<string, unknown>;
  /** `spec.securityContext`, or undefined. */
  podSecurityContext: Record<string, unknown> | undefined;
  /** initContainers, containers, ephemeralContainers, in that order. */
  containers: PodContainer[];
  /** `spec.os.name == "windows"` */
  windows: boolean;
  /** `spec.hostUsers == false` (unset does not count). */
  userNamespace: boolean;
}

/** What a failing check reports; the registry adds the check ID and level. */
export interface CheckFailure {
  /** Overrides the check's reason (for PSA's singular/plural reasons). */
  reason?: string;
  detail: string;
  paths: Path[];
}

export type Exemption = 'windows' | 'userNamespace';

export interface CheckVariant {
  /** First policy version (the N of v1.N) this behaviour applies to. */
  minVersion: number;
  /** Pods with these properties are exempt from the check at this variant. */
  exemptions?: readonly Exemption[];
  evaluate(pod: PodView): CheckFailure | undefined;
}

/** Rule metadata for the finding (everything but the `pss/<id>` ID and category). */
export interface CheckRuleMeta {
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  fields: string[];
  frameworks: FrameworkMap;
  aliases: string[];
}

export interface PssCheck {
  /** Upstream check ID, e.g. `capabilities_restricted`. */
  id: string;
  level: 'baseline' | 'restricted';
  /** PSA's ForbiddenReason. */
  reason: string;
  /** A restricted check that replaces a baseline one from `fromVersion` on. */
  overrides?: { checkId: string; fromVersion: number };
  /** Sorted by `minVersion`, ascending. */
  variants: readonly CheckVariant[];
  rule: CheckRuleMeta;
}
