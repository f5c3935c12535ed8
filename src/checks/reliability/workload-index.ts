/**
 * Joins between workloads and the objects that manage them (HorizontalPodAutoscaler,
 * PodDisruptionBudget), built once per manifest set.
 */
import { type ManifestIndex, IndexMemo } from '../../manifests/index-set.ts';
import { podLabels } from '../../manifests/index-set.ts';
import { asObject, asString } from '../../manifests/path.ts';
import type { Resource } from '../../manifests/resource.ts';
import { matchesSelector } from '../../manifests/selector.ts';

interface Joins {
  hpaByTarget: Map<string, Resource[]>;
  pdbByNamespace: Map<string, Resource[]>;
  workloadsByNamespace: Map<string, Resource[]>;
}

const cache = new IndexMemo<Joins>();

function targetKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

function joinsOf(index: ManifestIndex): Joins {
  let joins = cache.get(index);
  if (joins !== undefined) return joins;
  joins = { hpaByTarget: new Map(), pdbByNamespace: new Map(), workloadsByNamespace: new Map() };
  for (const r of index.all) {
    if (r.workload === undefined) continue;
    const ns = index.namespaceOf(r) ?? '';
    const list = joins.workloadsByNamespace.get(ns) ?? [];
    list.push(r);
    joins.workloadsByNamespace.set(ns, list);
  }
  for (const hpa of index.ofKind('HorizontalPodAutoscaler')) {
    const ref = scaleTargetRef(hpa);
    if (ref === undefined) continue;
    const key = targetKey(ref.kind, index.namespaceOf(hpa), ref.name);
    const list = joins.hpaByTarget.get(key) ?? [];
    list.push(hpa);
    joins.hpaByTarget.set(key, list);
  }
  for (const pdb of index.ofKind('PodDisruptionBudget')) {
    const ns = index.namespaceOf(pdb) ?? '';
    const list = joins.pdbByNamespace.get(ns) ?? [];
    list.push(pdb);
    joins.pdbByNamespace.set(ns, list);
  }
  cache.set(index, joins);
  return joins;
}

export function scaleTargetRef(hpa: Resource): { kind: string; name: string } | undefined {
  const ref = asObject(asObject(hpa.object['spec'])?.['scaleTargetRef']);
  const kind = asString(ref?.['kind']);
  const name = asString(ref?.['name']);
  return kind === undefined || name === undefined ? undefined : { kind, name };
}

/** HorizontalPodAutoscalers whose scaleTargetRef names `r`. */
export function hpasTargeting(index: ManifestIndex, r: Resource): Resource[] {
  return joinsOf(index).hpaByTarget.get(targetKey(r.kind, index.namespaceOf(r), r.name)) ?? [];
}

/** PodDisruptionBudgets in the workload's namespace whose selector matches its pod labels. */
export function pdbsSelecting(index: ManifestIndex, r: Resource): Resource[] {
  const labels = podLabels(r);
  const candidates = joinsOf(index).pdbByNamespace.get(index.namespaceOf(r) ?? '') ?? [];
  return candidates.filter((pdb) => matchesSelector(asObject(pdb.object['spec'])?.['selector'], labels));
}

/** Replicated controllers in the PDB's namespace whose pod labels its selector matches. */
export function workloadsSelectedByPdb(index: ManifestIndex, pdb: Resource): Resource[] {
  const selector = asObject(pdb.object['spec'])?.['selector'];
  return index.workloadsSelectedBy(index.namespaceOf(pdb), selector).filter((r) => REPLICATED_KINDS.includes(r.kind));
}

/** `spec.replicas` when it is an integer; undefined when unset or malformed. */
export function declaredReplicas(r: Resource): number | undefined {
  const v = asObject(r.object['spec'])?.['replicas'];
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** Replicas the controller runs: `spec.replicas`, defaulting to 1 as the API server does. */
export function effectiveReplicas(r: Resource): number {
  return declaredReplicas(r) ?? 1;
}

/** An integer, or undefined for percentages and malformed values. */
export function asInteger(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** `"35%"` → 35; undefined when not a percentage. */
export function asPercent(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)%$/.exec(v.trim());
  return m === null ? undefined : Number(m[1]);
}

/** Controllers that keep N identical replicas (where spreading, PDBs and replica counts matter). */
export const REPLICATED_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DeploymentConfig', 'Rollout'];
