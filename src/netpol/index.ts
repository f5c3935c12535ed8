/** NetworkPolicy analysis: the library API behind `bosun netpol …`. */
import { BosunError } from '../core/errors.ts';
import type { Finding } from '../core/finding.ts';
import type { ManifestIndex } from '../manifests/index-set.ts';
import { NetpolEvaluator, type DirectionVerdict } from './evaluate.ts';
import { networkPolicyFindings } from './findings.ts';
import { parseAddress } from './ip.ts';
import { computeMatrix, portKey, type ReachabilityMatrix } from './matrix.ts';
import { buildNetpolModel, type NetpolIssue, type PortProto } from './model.ts';

export { NetpolEvaluator, type DirectionVerdict, type ConnectionVerdict, type RuleRef, type Tier } from './evaluate.ts';
export { buildNetpolModel, type NetpolModel, type Endpoint, type NetpolIssue, type PortProto, type Protocol, type Direction } from './model.ts';
export { computeMatrix, renderMatrix, matrixObject, matrixCell, parsePortProto, portKey, MATRIX_FORMATS, type MatrixFormat, type ReachabilityMatrix, type MatrixObject } from './matrix.ts';
export { networkPolicyFindings, NETPOL_RULES, NETPOL_RULE_LIST } from './findings.ts';
export { parseSpec, runSpec, renderSpecJunit, renderSpecTable, specExternals, splitEndpointPort, type SpecCase, type SpecResult, type CaseResult } from './spec.ts';
export { probeJobs, PROBE_IMAGE, type ProbeOutput } from './probes.ts';

export interface ReachPortResult {
  port: string;
  allowed: boolean;
  /** The source's egress verdict (absent for an external source). */
  egress?: DirectionVerdict;
  /** The destination's ingress verdict (absent for an external destination). */
  ingress?: DirectionVerdict;
}

export interface ReachResult {
  from: string;
  to: string;
  /** True when every asked port is allowed. */
  allowed: boolean;
  ports: ReachPortResult[];
  issues: NetpolIssue[];
}

/**
 * Can `from` reach `to`? Endpoints are `namespace/pod` or an IP address. Without ports, the
 * destination pod's declared container ports are asked.
 */
export function netpolReach(index: ManifestIndex, from: string, to: string, ports: readonly PortProto[] = []): ReachResult {
  const externals = [from, to].filter((e) => parseAddress(e) !== undefined);
  const model = buildNetpolModel(index, { externals });
  const ev = new NetpolEvaluator(model);
  const source = endpoint(model.byKey, from, 'from');
  const dest = endpoint(model.byKey, to, 'to');
  let asked = [...ports];
  if (asked.length === 0) {
    asked = dest.declaredPorts.filter((p, i, all) => all.findIndex((q) => q.port === p.port && q.protocol === p.protocol) === i);
    if (asked.length === 0) throw new BosunError('E_USAGE', `--to ${to}: the destination declares no container ports; name one (${to}:80/TCP)`);
  }
  const results = asked.map((p): ReachPortResult => {
    const v = ev.connection(source, dest, p);
    return { port: portKey(p), allowed: v.allowed, ...(v.egress !== undefined && { egress: v.egress }), ...(v.ingress !== undefined && { ingress: v.ingress }) };
  });
  return { from: source.key, to: dest.key, allowed: results.every((r) => r.allowed), ports: results, issues: model.issues };
}

function endpoint<T>(byKey: Map<string, T>, ref: string, flag: string): T {
  const e = byKey.get(ref);
  if (e === undefined) throw new BosunError('E_NETPOL_ENDPOINT', `--${flag} ${ref}: no such pod in the inputs (write namespace/pod, or an IP address)`);
  return e;
}

export interface MatrixResult extends ReachabilityMatrix {
  issues: NetpolIssue[];
}

export function netpolMatrix(index: ManifestIndex, ports: readonly PortProto[]): MatrixResult {
  const model = buildNetpolModel(index);
  return { ...computeMatrix(new NetpolEvaluator(model), ports), issues: model.issues };
}

export function netpolFindings(index: ManifestIndex): Finding[] {
  return networkPolicyFindings(buildNetpolModel(index));
}
