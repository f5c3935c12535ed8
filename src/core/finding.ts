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

/** A container image, optionally narrowed to a package or a file inside it. */
export interface ImageTarget {
  type: 'image';
  /** The reference as given (`registry.example.com/app:1.2`, `oci-layout:dir`). */
  image: string;
  digest?: string;
  /** For package findings (vulnerabilities, licences). */
  package?: { name: string; version: string; ecosystem: string; purl?: string };
  /** For file findings (secrets, setuid binaries). */
  path?: string;
  /** Digest of the layer that added the file. */
  layer?: string;
}

/** A file or directory scanned outside an image (filesystem and lockfile scans, policy files). */
export interface FileTarget {
  type: 'file';
  path: string;
  package?: { name: string; version: string; ecosystem: string; purl?: string };
}

/** A Kubernetes audit event (or a runtime alert) that matched a rule. */
export interface AuditEventTarget {
  type: 'audit-event';
  auditId?: string;
  verb?: string;
  user?: string;
  resource?: string;
  namespace?: string;
  name?: string;
}

/** A URL probed by a dynamic scan. */
export interface UrlTarget {
  type: 'url';
  url: string;
  method?: string;
  /** Parameter, header or cookie concerned. */
  param?: string;
}

/** An RBAC subject (who holds a permission). */
export interface SubjectTarget {
  type: 'subject';
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export type Target = ResourceTarget | ImageTarget | FileTarget | AuditEventTarget | UrlTarget | SubjectTarget;

/** A stable, human-readable identity for a target: used in fingerprints and logical locations. */
export function targetIdentity(t: Target): string {
  switch (t.type) {
    case 'resource': {
      const slash = t.apiVersion.indexOf('/');
      const group = slash === -1 ? '' : t.apiVersion.slice(0, slash);
      return `${group}/${t.kind}/${t.namespace ?? ''}/${t.name}`;
    }
    case 'image':
      return `image/${t.digest ?? t.image}/${t.package === undefined ? '' : `${t.package.ecosystem}/${t.package.name}@${t.package.version}`}/${t.path ?? ''}`;
    case 'file':
      return `file/${t.path}/${t.package === undefined ? '' : `${t.package.ecosystem}/${t.package.name}@${t.package.version}`}`;
    case 'audit-event':
      return `audit/${t.auditId ?? ''}/${t.verb ?? ''}/${t.user ?? ''}/${t.resource ?? ''}/${t.namespace ?? ''}/${t.name ?? ''}`;
    case 'url':
      return `url/${t.method ?? 'GET'}/${t.url}/${t.param ?? ''}`;
    case 'subject':
      return `subject/${t.kind}/${t.namespace ?? ''}/${t.name}`;
  }
}

export interface Location {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface Suppression {
  /** What suppressed it: an object annotation, a bosun.yaml waiver, or a VEX statement. */
  by: 'annotation' | 'config' | 'vex';
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

/** What waivers and summaries match on, for every kind of target. */
export interface TargetFacets {
  kind: string;
  name: string;
  namespace: string | undefined;
}

export function targetFacets(t: Target): TargetFacets {
  switch (t.type) {
    case 'resource':
      return { kind: t.kind, name: t.name, namespace: t.namespace };
    case 'subject':
      return { kind: t.kind, name: t.name, namespace: t.namespace };
    case 'image':
      return { kind: 'Image', name: t.package?.name ?? t.path ?? t.image, namespace: undefined };
    case 'file':
      return { kind: 'File', name: t.package?.name ?? t.path, namespace: undefined };
    case 'audit-event':
      return { kind: 'AuditEvent', name: t.name ?? t.resource ?? '', namespace: t.namespace };
    case 'url':
      return { kind: 'URL', name: t.url, namespace: undefined };
  }
}
