import type { Path } from '../manifests/path.ts';

export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** A level at a policy version; `version` is `latest` or `v1.N`. */
export interface PssPolicy {
  level: PssLevel;
  version: string;
}

/** The pod as Pod Security Admission sees it: metadata (annotations) and spec. */
export interface PssPod {
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}

export interface PssViolation {
  /** Upstream check ID: `privileged`, `capabilities_restricted`, … */
  checkId: string;
  /** Which level the check belongs to. */
  level: 'baseline' | 'restricted';
  /** PSA's ForbiddenReason, e.g. `privileged`. */
  reason: string;
  /** PSA's ForbiddenDetail, e.g. `container "web" must not set securityContext.privileged=true`. */
  detail: string;
  /** Offending fields, relative to the PssPod (`['spec','containers',0,'securityContext','privileged']`); for a missing field, the path where it should be. */
  paths: Path[];
}
