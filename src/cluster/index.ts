/**
 * Live clusters and cluster dumps as inputs: `clusterScan` reads the cluster (or a
 * `kubectl get … -o json` dump), then runs the manifest checks, the RBAC analysis and the
 * NetworkPolicy analysis over the same objects and returns one report.
 */
import type { InputError, Report, Severity } from '../core/finding.ts';
import { EMPTY_CONFIG, type BosunConfig } from '../config/types.ts';
import { ManifestIndex } from '../manifests/index-set.ts';
import { loadManifests, type LoadResult, type ManifestInput } from '../manifests/load.ts';
import { buildNetpolModel, networkPolicyFindings } from '../netpol/index.ts';
import { buildRbacModel, rbacFindings, rbacIssueFindings } from '../rbac/index.ts';
import { scanLoaded } from '../scan.ts';
import { collectCluster, type ClusterSnapshot, type CollectOptions } from './collect.ts';
import { analysisReport } from './report.ts';

export { collectCluster, loadKubeConfig, COLLECTED_KINDS, type CollectOptions, type ClusterConnection, type ClusterSnapshot, type CollectNote, type KindRef } from './collect.ts';
export { analysisReport } from './report.ts';

/** One in-memory JSON document per kind, named `cluster/<Kind>.json`, so findings point at a readable place. */
export function snapshotInputs(snapshot: ClusterSnapshot): ManifestInput[] {
  return snapshot.lists.filter((l) => l.items.length > 0).map((l) => ({ name: `cluster/${l.kind.kind}.json`, content: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: l.items }, null, 1) }));
}

export interface ClusterLoad {
  loaded: LoadResult;
  /** Set when read from a live cluster. */
  snapshot?: ClusterSnapshot;
}

/** Objects from the live cluster, with each unreadable kind as an input error (`E_CLUSTER_FORBIDDEN` …). */
export async function loadCluster(options: CollectOptions = {}): Promise<ClusterLoad> {
  const snapshot = await collectCluster(options);
  const loaded = await loadManifests(snapshotInputs(snapshot));
  const notes: InputError[] = snapshot.notes.map((n) => ({ code: n.code, file: `cluster/${n.kind}`, message: n.message }));
  loaded.errors.push(...notes);
  return { loaded, snapshot };
}

export interface ClusterScanOptions extends CollectOptions {
  /** Read these `kubectl get -o json|yaml` dumps instead of a live cluster. */
  fromDump?: readonly string[];
  config?: BosunConfig;
  failOn?: Severity | 'none';
  pss?: string;
  now?: Date;
}

export async function clusterScan(options: ClusterScanOptions = {}): Promise<Report> {
  const { loaded } = options.fromDump !== undefined ? { loaded: await loadManifests(options.fromDump) } : await loadCluster(options);
  return analyzeLoaded(loaded, options);
}

/** Manifest checks that the cluster analyses replace: K8S-POD-NO-NETWORKPOLICY → NETPOL-POD-NOT-ISOLATED-INGRESS/EGRESS. */
export const SUPERSEDED_CHECKS: readonly string[] = ['K8S-POD-NO-NETWORKPOLICY'];

/** Manifest checks + RBAC + NetworkPolicy findings over already loaded objects. */
export function analyzeLoaded(loaded: LoadResult, options: Omit<ClusterScanOptions, keyof CollectOptions | 'fromDump'> = {}): Report {
  const config = options.config ?? EMPTY_CONFIG;
  // The NetworkPolicy analysis reports unisolated pods per direction and knows AdminNetworkPolicies;
  // the manifest check would report the same pods a second time, less precisely.
  const checksConfig = { ...config, checks: { ...config.checks, disable: [...(config.checks.disable ?? []), ...SUPERSEDED_CHECKS] } };
  const base = scanLoaded(loaded, checksConfig, { ...(options.failOn !== undefined && { failOn: options.failOn }), ...(options.pss !== undefined && { pss: options.pss }), ...(options.now !== undefined && { now: options.now }) });
  const index = new ManifestIndex(loaded.resources, config.defaultNamespace ?? 'default');
  const rbac = buildRbacModel(index);
  const net = buildNetpolModel(index);
  // Objects the API server would reject are input errors; dangling bindings and cycles are findings.
  const errors: InputError[] = rbac.issues.filter((i) => i.code === 'E_RBAC_INVALID').map((i) => ({ code: i.code, file: i.object, message: i.message }));
  const extra = [...rbacFindings(rbac), ...rbacIssueFindings(rbac), ...networkPolicyFindings(net)];
  return analysisReport(base, extra, errors, config, { ...(options.failOn !== undefined && { failOn: options.failOn }), ...(options.now !== undefined && { now: options.now }) });
}
