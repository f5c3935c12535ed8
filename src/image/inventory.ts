/** Merging walk results into the inventory: one OS, packages with PURLs, layers and licences. */
import type { StoredResult, WalkResult } from './walker.ts';
import { purlFor } from './purl.ts';
import type { LayerInfo, OsInfo, Package } from './types.ts';

export interface Inventory {
  os?: OsInfo;
  packages: Package[];
  /** setuid/setgid files in the final filesystem, with the layer that added them. */
  specialFiles: { path: string; mode: number; layer?: string }[];
}

function layerId(layers: readonly LayerInfo[], index: number): string | undefined {
  const l = layers[index];
  return l?.diffId ?? l?.digest;
}

export function buildInventory(walk: Pick<WalkResult, 'results'>, layers: readonly LayerInfo[]): Inventory {
  let os: OsInfo | undefined;
  let osRank = Infinity;
  const packages: Package[] = [];
  const notes = new Map<string, string[]>();
  const specialFiles: Inventory['specialFiles'] = [];
  const results: StoredResult[] = walk.results;
  for (const r of results) {
    const res = r.result;
    if (res.os !== undefined && (res.osPriority ?? 9) < osRank) {
      os = res.os;
      osRank = res.osPriority ?? 9;
    }
    const layer = layerId(layers, r.layer);
    for (const p of res.packages ?? []) packages.push(layer === undefined ? p : { ...p, layer });
    for (const n of res.licenseNotes ?? []) notes.set(`${n.ecosystem}/${n.name}`, n.licenses);
    for (const f of res.specialFiles ?? []) specialFiles.push(layer === undefined ? f : { ...f, layer });
  }
  // /etc/debian_version says "12.4" where os-release says "12": keep os-release's version.
  for (const p of packages) {
    if (p.licenses.length === 0) {
      const n = notes.get(`${p.ecosystem}/${p.name}`) ?? (p.source !== undefined ? notes.get(`${p.ecosystem}/${p.source.name}`) : undefined);
      if (n !== undefined) p.licenses = [...n];
    }
    p.purl = purlFor(p, os);
  }
  packages.sort(comparePackages);
  return { ...(os !== undefined && { os }), packages, specialFiles };
}

export function comparePackages(a: Package, b: Package): number {
  if (a.ecosystem !== b.ecosystem) return a.ecosystem < b.ecosystem ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
