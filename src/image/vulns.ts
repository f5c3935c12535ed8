/**
 * Vulnerabilities of an inventory: the packages (by PURL, with their source package, layer and
 * path) matched against the local OSV store built by `bosun db update`.
 *
 * The `vuln` scanner runs when it is asked for, or by default when the store exists; asked for
 * without a store, it is an error telling the user to run `bosun db update`.
 */
import { existsSync } from 'node:fs';
import type { Finding } from '../core/finding.ts';
import { vulnFindings, type TargetFor } from '../vuln/findings.ts';
import { matchVulnerabilities, type PackageRef } from '../vuln/match.ts';
import { packageRefFor } from '../vuln/purl.ts';
import { defaultStorePath } from '../vuln/store/paths.ts';
import { openStore } from '../vuln/store/store.ts';
import type { OsInfo, Package } from './types.ts';

export interface VulnScanSettings {
  /** Store path; default: the user cache store. */
  dbPath?: string;
  /** True when the user asked for the `vuln` scanner explicitly. */
  requested: boolean;
}

/** Whether the vuln scanner runs: asked for, or the store is there to use. */
export function vulnScanEnabled(settings: VulnScanSettings): boolean {
  return settings.requested || existsSync(settings.dbPath ?? defaultStorePath());
}

/** `os` is the scanned system's os-release: its name tells CentOS Stream from CentOS Linux (Red Hat data applies to the latter only). */
export function vulnerabilityFindings(packages: readonly Package[], targetFor: TargetFor, settings: VulnScanSettings, os?: OsInfo): Finding[] {
  const refs = packages.map((p) => packageRefFor(p, os)).filter((r): r is PackageRef => r !== undefined);
  const store = openStore(settings.dbPath ?? defaultStorePath());
  try {
    return vulnFindings(matchVulnerabilities(refs, store), targetFor);
  } finally {
    store.close();
  }
}
