/**
 * Vulnerability matches as bosun findings: ruleId is the vulnerability's primary ID (the CVE
 * when there is one), the target is the image or file plus the package, and the details
 * (fixed versions, CVSS vector and score, references, uncertainty) ride along in
 * `vulnerability`, which the JSON and SARIF reports carry.
 */
import type { FileTarget, Finding, ImageTarget } from '../core/finding.ts';
import { fingerprint } from '../core/fingerprint.ts';
import type { PackageRef, VulnMatch } from './match.ts';

export interface VulnerabilityDetails {
  id: string;
  records: string[];
  summary: string;
  severitySource: string;
  cvss?: { vector: string; score: number };
  fixedVersions: string[];
  references: string[];
  /** Why the match may be wrong (an unorderable version). */
  uncertain?: string;
}

export interface VulnFinding extends Finding {
  target: ImageTarget | FileTarget;
  vulnerability: VulnerabilityDetails;
}

export type TargetFor = (pkg: PackageRef) => ImageTarget | FileTarget;

/** A target naming `file` (an SBOM, a lockfile) and the package. */
export function fileTargetFor(file: string): TargetFor {
  return (pkg) => ({ type: 'file', path: pkg.location ?? file, package: { name: pkg.name, version: pkg.version, ecosystem: pkg.ecosystem, ...(pkg.purl !== undefined && { purl: pkg.purl }) } });
}

/** A target naming the image (by reference and digest), the package, its path and layer. */
export function imageTargetFor(image: string, digest: string | undefined): TargetFor {
  return (pkg) => ({
    type: 'image',
    image,
    ...(digest !== undefined && { digest }),
    package: { name: pkg.name, version: pkg.version, ecosystem: pkg.ecosystem, ...(pkg.purl !== undefined && { purl: pkg.purl }) },
    ...(pkg.location !== undefined && { path: pkg.location }),
    ...(pkg.layer !== undefined && { layer: pkg.layer }),
  });
}

export function vulnFindings(matches: readonly VulnMatch[], targetFor: TargetFor): VulnFinding[] {
  return matches.map((m) => {
    const target = targetFor(m.package);
    const pkg = `${m.package.name} ${m.package.version}`;
    const fix = m.fixedVersions.length > 0 ? `fixed in ${m.fixedVersions.join(', ')}` : 'no fixed version published';
    const rating = m.cvss !== undefined ? `CVSS ${m.cvss.score}` : `severity from ${m.severitySource}`;
    const details: VulnerabilityDetails = { id: m.id, records: m.records, summary: m.summary, severitySource: m.severitySource, fixedVersions: m.fixedVersions, references: m.references };
    if (m.cvss !== undefined) details.cvss = m.cvss;
    if (m.uncertain !== undefined) details.uncertain = m.uncertain;
    const f: VulnFinding = {
      ruleId: m.id,
      severity: m.severity,
      title: m.summary.length > 120 ? `${m.summary.slice(0, 117)}...` : m.summary,
      message: `${pkg} (${m.package.ecosystem}) is affected by ${m.id} (${rating}); ${fix}${m.uncertain === undefined ? '' : `; uncertain match: ${m.uncertain}`}`,
      target,
      aliases: m.aliases,
      fingerprint: fingerprint(m.id, target, undefined),
      vulnerability: details,
    };
    if (m.fixedVersions.length > 0) f.remediation = `Upgrade ${m.package.name} to ${m.fixedVersions[0]} or later.`;
    return f;
  });
}
