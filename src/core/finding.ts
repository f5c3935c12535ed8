/** The one finding model every bosun scanner reports through. */

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used by the gate and for sorting. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** A Kubernetes object as found in the inputs. */
export interface ResourceTarget {
  type: 'resource';
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Other capabilities add their own target shapes here (image + package, URL, audit event …). */
export type Target = ResourceTarget;

export interface Location {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface Suppression {
  /** What suppressed it: `annotation`, `config`. */
  by: 'annotation' | 'config';
  reason: string;
  expires?: string;
}

/** Framework name → control IDs, e.g. `{ cis: ['5.2.2'], pss: ['baseline'] }`. */
export type FrameworkMap = Partial<Record<FrameworkId, string[]>>;
export const FRAMEWORKS = ['cis', 'nsa', 'nist-800-190', 'pss', 'mitre'] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number];

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  target: Target;
  location?: Location;
  fieldPath?: string;
  remediation?: string;
  frameworks?: FrameworkMap;
  aliases?: string[];
  fingerprint: string;
  suppressed?: Suppression;
}

/** An input that could not be read or parsed; the rest of the inputs are still scanned. */
export interface InputError {
  code: string;
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** A waiver that no longer suppresses because its date has passed. */
export interface ExpiredWaiver {
  rule: string;
  reason: string;
  expires: string;
  source: string;
}

export interface ReportSummary {
  resources: number;
  skippedDocuments: number;
  files: number;
  findings: number;
  suppressed: number;
  bySeverity: Record<Severity, number>;
  errors: number;
  expiredWaivers: ExpiredWaiver[];
  failOn: Severity | 'none';
  /** True when an unsuppressed finding is at or above `failOn`. */
  gateFailed: boolean;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'bosun'; version: string };
  findings: Finding[];
  errors: InputError[];
  summary: ReportSummary;
}

export function compareFindings(a: Finding, b: Finding): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location?.line ?? 0;
  const lb = b.location?.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.location?.column ?? 0;
  const cb = b.location?.column ?? 0;
  if (ca !== cb) return ca - cb;
  const s = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (s !== 0) return s;
  return a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0;
}
