/** How a finding's target is named in every report format. */
import type { Target } from '../core/finding.ts';

export interface TargetDescription {
  /** For people: `Deployment prod/web`, `ClusterRole admin`. */
  label: string;
  /** Stable path-like identity: `Deployment/prod/web`, `ClusterRole/admin` (SARIF logical location). */
  id: string;
  /** SARIF logical location kind. */
  kind: string;
}

/** The one place that knows target shapes; other scanners add their cases here. */
export function describeTarget(target: Target): TargetDescription {
  switch (target.type) {
    case 'resource': {
      const scoped = target.namespace === undefined ? target.name : `${target.namespace}/${target.name}`;
      return { label: `${target.kind} ${scoped}`, id: `${target.kind}/${scoped}`, kind: 'resource' };
    }
  }
}
