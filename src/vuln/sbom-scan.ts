/**
 * `scanSbom`: the continuous-security path. An SBOM stored at build time (CycloneDX or SPDX
 * JSON) is matched against the local store again whenever the store updates, without pulling
 * the image: read SBOM → match → findings → VEX → waivers → report.
 */
import { dirname, resolve } from 'node:path';
import { BosunError } from '../core/errors.ts';
import { SEVERITIES, SEVERITY_RANK, compareFindings, type Report, type Severity } from '../core/finding.ts';
import { applyWaivers } from '../core/suppress.ts';
import { findConfigFile, loadConfigFile } from '../config/load.ts';
import { EMPTY_CONFIG, type BosunConfig } from '../config/types.ts';
import { VERSION } from '../version.ts';
import { fileTargetFor, imageTargetFor, vulnFindings, type VulnFinding } from './findings.ts';
import { matchVulnerabilities, type RecordSource } from './match.ts';
import { readSbom, type SbomInput } from './sbom-input.ts';
import { checkFreshness, openStore, type StoreStatus } from './store/store.ts';
import { applyVex, readVexFile, type VexDocument } from './vex/index.ts';

/** Stores older than this get a warning (`--max-db-age`). */
export const DEFAULT_MAX_DB_AGE_MS = 7 * 86_400_000;

export interface SbomScanOptions {
  /** The store file (default: the user cache directory). Ignored when `store` is given. */
  dbPath?: string;
  /** An open store or any record source (tests, embedders). */
  store?: RecordSource & { status?: () => StoreStatus };
  /** VEX documents to apply, in addition to bosun.yaml `vex:`. */
  vex?: readonly string[];
  ignoreUnfixed?: boolean;
  failOn?: Severity | 'none';
  /** bosun.yaml: loaded, a path, or false for none; default: found by walking up from the SBOM. */
  config?: BosunConfig | string | false;
  maxDbAgeMs?: number;
  /** Fail (E_DB_STALE) instead of warning when the store is older than `maxDbAgeMs`. */
  requireFreshDb?: boolean;
  now?: Date;
}

/** A report whose findings are vulnerability findings (assignable to `Report`). */
export interface VulnReport extends Omit<Report, 'findings'> {
  findings: VulnFinding[];
}

export interface SbomScanResult {
  report: VulnReport;
  sbom: SbomInput;
  /** Stale store, skipped VEX statements, components bosun cannot match. */
  warnings: string[];
}

export async function scanSbom(path: string, options: SbomScanOptions = {}): Promise<SbomScanResult> {
  const now = options.now ?? new Date();
  const config = await resolveConfig(path, options.config);
  const sbom = readSbom(path);
  const vexPaths = [...(config.vex ?? []).map((p) => resolve(dirname(config.source ?? path), p)), ...(options.vex ?? [])];
  const vexDocs: VexDocument[] = vexPaths.map(readVexFile);
  const warnings: string[] = [];
  const opened = options.store === undefined ? openStore(options.dbPath) : undefined;
  const store = options.store ?? opened!;
  try {
    const status = store.status?.();
    if (status !== undefined) {
      const fresh = checkFreshness(status, options.maxDbAgeMs ?? DEFAULT_MAX_DB_AGE_MS, now);
      if (!fresh.ok && options.requireFreshDb === true) throw new BosunError('E_DB_STALE', fresh.message!);
      if (!fresh.ok) warnings.push(fresh.message!);
    }
    const matches = matchVulnerabilities(sbom.packages, store, { ...(options.ignoreUnfixed !== undefined && { ignoreUnfixed: options.ignoreUnfixed }) });
    const targetFor = sbom.subject !== undefined && (sbom.subject.digest !== undefined || sbom.subject.purl?.startsWith('pkg:oci/') === true) ? imageTargetFor(sbom.subject.name, sbom.subject.digest) : fileTargetFor(path);
    const findings = vulnFindings(matches, targetFor);
    applyVex(findings, vexDocs);
    for (const d of vexDocs) if (d.skipped > 0) warnings.push(`${d.source}: ${d.skipped} VEX statement${d.skipped === 1 ? '' : 's'} without a known status, vulnerability or product ignored`);
    if (sbom.unmatchable > 0) warnings.push(`${path}: ${sbom.unmatchable} component${sbom.unmatchable === 1 ? '' : 's'} not matched: no version, or an ecosystem without OSV data (e.g. an rpm without its distribution, or from CentOS Stream)`);
    const expired = applyWaivers(findings, config.waivers, now, config.source ?? 'bosun.yaml');
    findings.sort(compareFindings);
    return { report: buildReport(findings, expired, options.failOn ?? config.failOn ?? 'high'), sbom, warnings };
  } finally {
    opened?.close();
  }
}

async function resolveConfig(sbomPath: string, given: SbomScanOptions['config']): Promise<BosunConfig> {
  if (given === false) return EMPTY_CONFIG;
  if (typeof given === 'object') return given;
  if (typeof given === 'string') return loadConfigFile(given);
  const found = await findConfigFile(dirname(resolve(sbomPath)));
  return found === undefined ? EMPTY_CONFIG : loadConfigFile(found);
}

function buildReport(findings: VulnFinding[], expiredWaivers: Report['summary']['expiredWaivers'], failOn: Severity | 'none'): VulnReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  let gateFailed = false;
  for (const f of findings) {
    if (f.suppressed !== undefined) {
      suppressed++;
      continue;
    }
    bySeverity[f.severity]++;
    if (failOn !== 'none' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]) gateFailed = true;
  }
  return {
    schemaVersion: 1,
    tool: { name: 'bosun', version: VERSION },
    findings,
    errors: [],
    summary: { resources: 0, skippedDocuments: 0, files: 1, findings: findings.length - suppressed, suppressed, bySeverity, errors: 0, expiredWaivers, failOn, gateFailed },
  };
}
