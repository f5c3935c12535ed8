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
    case 'image': {
      const pkg = target.package === undefined ? '' : ` ${target.package.name}@${target.package.version}`;
      const path = target.path === undefined ? '' : ` ${target.path}`;
      return { label: `${target.image}${pkg}${path}`, id: `${target.image}${pkg === '' ? '' : `/${target.package!.name}@${target.package!.version}`}${target.path ?? ''}`, kind: target.package !== undefined ? 'package' : 'image' };
    }
    case 'file': {
      const pkg = target.package === undefined ? '' : ` ${target.package.name}@${target.package.version}`;
      return { label: `${target.path}${pkg}`, id: `${target.path}${pkg === '' ? '' : `#${target.package!.name}@${target.package!.version}`}`, kind: target.package !== undefined ? 'package' : 'file' };
    }
    case 'audit-event': {
      const what = [target.verb, target.resource, target.namespace === undefined ? target.name : `${target.namespace}/${target.name ?? ''}`].filter((x) => x !== undefined && x !== '').join(' ');
      return { label: `audit ${what}${target.user === undefined ? '' : ` by ${target.user}`}`, id: `audit/${target.auditId ?? what}`, kind: 'event' };
    }
    case 'url':
      return { label: `${target.method ?? 'GET'} ${target.url}${target.param === undefined ? '' : ` (${target.param})`}`, id: target.url, kind: 'url' };
    case 'subject': {
      const scoped = target.namespace === undefined ? target.name : `${target.namespace}/${target.name}`;
      return { label: `${target.kind} ${scoped}`, id: `${target.kind}/${scoped}`, kind: 'subject' };
    }
  }
}
