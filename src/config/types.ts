import type { Severity } from '../core/finding.ts';

/** A recorded decision to accept a finding: who/what it covers, why, and until when. */
export interface Waiver {
  /** Rule ID or glob (`K8S-*`, `pss/*`). */
  rule: string;
  /** Globs on the finding's target; omitted = any. */
  kind?: string;
  namespace?: string;
  name?: string;
  reason: string;
  /** ISO date (YYYY-MM-DD); from that day on the waiver no longer suppresses. */
  expires?: string;
}

export interface ChecksConfig {
  /** Rule IDs (or globs) to turn off. */
  disable?: string[];
  /** Rule IDs (or globs) of checks that are off by default to turn on. */
  enable?: string[];
  /** Per-rule severity overrides. */
  severity?: Record<string, Severity>;
  /** Inputs for configurable checks (allowed registries, minimum replicas …). */
  settings?: Record<string, unknown>;
  /** Rule globs the `bosun.dev/ignore` annotation may suppress (default: all; `[]`: none). */
  ignoreAnnotation?: string[];
}

export interface BosunConfig {
  /** File the config was read from, if any. */
  source?: string;
  failOn?: Severity | 'none';
  /** Default Pod Security Standards policy, e.g. `restricted:latest`. */
  pss?: string;
  /** Namespace assumed for objects that omit one (default `default`). */
  defaultNamespace?: string;
  waivers: Waiver[];
  checks: ChecksConfig;
  /** ValidatingAdmissionPolicy / bosun Rule files or directories, relative to the config file. */
  policies?: string[];
  /** Path globs relative to bosun.yaml that `bosun scan` leaves out when it walks directories. */
  exclude?: string[];
  /** VEX documents (OpenVEX, CycloneDX VEX), relative to bosun.yaml. */
  vex?: string[];
}

export const EMPTY_CONFIG: BosunConfig = { waivers: [], checks: {} };
