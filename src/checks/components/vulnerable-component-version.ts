/**
 * Cluster components whose image tag is a release known to carry a critical CVE. Data:
 * - Argo CD CVE-2022-24348 (Helm value-file path traversal leaks repo-server files): fixed in
 *   v2.1.9, v2.2.4, v2.3.0 (GHSA-63qx-x74g-jcr7).
 * - ingress-nginx controller CVE-2025-1974 (unauthenticated RCE through the admission webhook,
 *   "IngressNightmare"): fixed in v1.11.5 and v1.12.1.
 * Reads container images; tags that are not `vMAJOR.MINOR.PATCH` are not judged. Opt-in: only
 * kubescape runs such checks, and an image scan finds these too.
 */
import { defineCheck } from '../types.ts';
import { containerImage, parseImage } from '../helpers.ts';

type Version = [number, number, number];

interface Advisory {
  cve: string;
  component: string;
  /** Image repositories (without registry). */
  repositories: readonly string[];
  /** Half-open ranges [from, to) of affected versions. */
  affected: ReadonlyArray<[Version, Version]>;
  fixed: string;
}

const ADVISORIES: readonly Advisory[] = [
  { cve: 'CVE-2022-24348', component: 'Argo CD', repositories: ['argoproj/argocd'], affected: [[[0, 0, 0], [2, 1, 9]], [[2, 2, 0], [2, 2, 4]]], fixed: 'v2.1.9, v2.2.4, v2.3.0' },
  { cve: 'CVE-2025-1974', component: 'ingress-nginx controller', repositories: ['ingress-nginx/controller', 'ingress-nginx/controller-chroot', 'kubernetes-ingress-controller/nginx-ingress-controller'], affected: [[[0, 0, 0], [1, 11, 5]], [[1, 12, 0], [1, 12, 1]]], fixed: 'v1.11.5, v1.12.1' },
];

export default defineCheck({
  id: 'K8S-VULNERABLE-COMPONENT',
  title: 'Cluster component with a known critical CVE',
  severity: 'high',
  category: 'components',
  description: 'The image tag is a release of a cluster component affected by a known, exploited vulnerability.',
  remediation: 'Upgrade the component to a fixed release (named in the message).',
  fields: ['spec.containers[*].image'],
  frameworks: {},
  aliases: ['C-0081', 'C-0090', 'C-0091', 'C-0058', 'C-0292'],
  concepts: [146],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      const image = parseImage(containerImage(c) ?? '');
      const version = parseVersion(image.tag);
      if (version === undefined) continue;
      for (const a of ADVISORIES) {
        if (!a.repositories.includes(image.repository)) continue;
        if (a.affected.some(([from, to]) => compare(version, from) >= 0 && compare(version, to) < 0)) {
          ctx.report([...c.path, 'image'], `container "${c.name}" runs ${a.component} ${image.tag}, affected by ${a.cve} (fixed in ${a.fixed})`, { key: a.cve });
        }
      }
    }
  },
});

function parseVersion(tag: string | undefined): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag ?? '');
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
