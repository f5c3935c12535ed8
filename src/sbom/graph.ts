/** What both SBOM writers share: stable package IDs and the dependency edges the sources recorded. */
import { createHash } from 'node:crypto';
import type { Package } from '../image/types.ts';

const OS_ECOSYSTEMS = new Set(['deb', 'apk', 'rpm']);

export function isOsPackage(p: Package): boolean {
  return OS_ECOSYSTEMS.has(p.ecosystem);
}

/** A short stable ID per package (purl + where it was found): the same input gives the same SBOM. */
export function packageId(p: Package): string {
  return createHash('sha256').update(`${p.purl}\u0000${p.path}\u0000${p.layer ?? ''}`).digest('hex').slice(0, 16);
}

/**
 * Edges from `dependsOn` names to packages of the same ecosystem: a dependency found in the same
 * file (lockfile, package DB) wins, then one from the same directory tree, then any.
 */
export function dependencyEdges(packages: readonly Package[]): Map<Package, Package[]> {
  const byName = new Map<string, Package[]>();
  for (const p of packages) {
    const k = `${p.ecosystem}/${p.name}`;
    const list = byName.get(k);
    if (list === undefined) byName.set(k, [p]);
    else list.push(p);
  }
  const edges = new Map<Package, Package[]>();
  for (const p of packages) {
    if (p.dependsOn === undefined) continue;
    const targets: Package[] = [];
    for (const name of p.dependsOn) {
      const candidates = byName.get(`${p.ecosystem}/${name}`);
      if (candidates === undefined) continue;
      const dir = p.path.includes('/node_modules/') ? p.path.slice(0, p.path.lastIndexOf('/node_modules/')) : '';
      const pick = candidates.find((c) => c.path === p.path && c !== p) ?? (p.ecosystem === 'npm' ? nearestNpm(candidates, p) : undefined) ?? candidates.find((c) => dir !== '' && c.path.startsWith(dir)) ?? candidates[0]!;
      if (pick !== p && !targets.includes(pick)) targets.push(pick);
    }
    if (targets.length > 0) edges.set(p, targets);
  }
  return edges;
}

/** Node's resolution: the dependency in the package's own node_modules, else the closest ancestor's. */
function nearestNpm(candidates: Package[], from: Package): Package | undefined {
  let dir = from.path.replace(/\/package\.json$/, '');
  for (;;) {
    const hit = candidates.find((c) => c.path.replace(/\/node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/, '') === dir);
    if (hit !== undefined) return hit;
    const i = dir.lastIndexOf('/node_modules/');
    if (i === -1) return undefined;
    dir = dir.slice(0, i);
  }
}
