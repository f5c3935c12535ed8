/** The image scan report: the shared Report plus what the image is and what is installed in it. */
import type { ExpiredWaiver, Finding, InputError, Report, Severity } from '../core/finding.ts';
import { VERSION } from '../version.ts';
import type { ImageConfig, OsInfo, Package } from './types.ts';
import { tallyFindings } from '../core/gate.ts';

export interface ImageMetadata {
  /** The reference as given. */
  ref: string;
  source: 'registry' | 'oci-layout' | 'oci-archive' | 'docker-archive' | 'rootfs' | 'filesystem';
  digest?: string;
  configDigest?: string;
  repoTags?: string[];
  platform?: string;
  layers: { index: number; digest?: string; diffId?: string; size?: number; createdBy?: string }[];
  config?: ImageConfig['config'];
}

export interface InventoryReport extends Report {
  image: ImageMetadata;
  os?: OsInfo;
  packages: Package[];
}

export function buildInventoryReport(parts: { findings: Finding[]; errors: InputError[]; expiredWaivers: ExpiredWaiver[]; failOn: Severity | 'none'; image: ImageMetadata; os?: OsInfo; packages: Package[] }): InventoryReport {
  const { bySeverity, suppressed, gateFailed } = tallyFindings(parts.findings, parts.failOn);
  return {
    schemaVersion: 1,
    tool: { name: 'bosun', version: VERSION },
    image: parts.image,
    ...(parts.os !== undefined && { os: parts.os }),
    packages: parts.packages,
    findings: parts.findings,
    errors: parts.errors,
    summary: {
      resources: 0,
      skippedDocuments: 0,
      files: parts.image.layers.length,
      findings: parts.findings.length - suppressed,
      suppressed,
      bySeverity,
      errors: parts.errors.length,
      expiredWaivers: parts.expiredWaivers,
      failOn: parts.failOn,
      gateFailed,
    },
  };
}
