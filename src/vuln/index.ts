/** bosun's vulnerability capability: the OSV store, version ordering, matching, VEX, SBOM rescans. */
export { compareVersions, schemeForEcosystem, ecosystemBase, isVersionScheme, VERSION_SCHEMES, InvalidVersionError, type VersionScheme, type Cmp } from './versions/index.ts';
export { matchVulnerabilities, type PackageRef, type RecordSource, type VulnMatch, type MatchOptions } from './match.ts';
export { vulnFindings, imageTargetFor, fileTargetFor, type VulnFinding, type VulnerabilityDetails, type TargetFor } from './findings.ts';
export { openStore, checkFreshness, parseAge, formatAge, type VulnStore, type StoreStatus, type SourceStatus, type Freshness } from './store/store.ts';
export { updateStore, DEFAULT_SOURCE, DEFAULT_ECOSYSTEMS, type UpdateOptions, type EcosystemUpdate } from './store/update.ts';
export { importOsv, type ImportOptions, type ImportStats, type SkippedRecord, type Progress } from './store/import.ts';
export { defaultStorePath, cacheDir } from './store/paths.ts';
export { SCHEMA_VERSION } from './store/schema.ts';
export { evaluateAffected, type AffectedResult } from './osv/evaluate.ts';
export { osvProblem, packageKey, type OsvRecord, type OsvAffected, type OsvRange, type OsvEvent, type OsvSeverity } from './osv/record.ts';
export { cvss3BaseScore } from './osv/cvss3.ts';
export { cvss4BaseScore } from './osv/cvss4.ts';
export { rateSeverity, severityFromScore, type SeverityRating } from './osv/severity.ts';
export { readZip, type ZipEntry } from './osv/zip.ts';
export { parsePurl, packageFromPurl, packageRefFor, purlMatches, distroEcosystem, type Purl } from './purl.ts';
export { readSbom, parseSbom, type SbomInput, type SbomSubject } from './sbom-input.ts';
export { scanSbom, DEFAULT_MAX_DB_AGE_MS, type SbomScanOptions, type SbomScanResult, type VulnReport } from './sbom-scan.ts';
export { applyVex, parseVex, readVexFile, type VexDocument, type VexStatement, type VexStatus, type VexProduct } from './vex/index.ts';
