/** SBOM writers: CycloneDX 1.6 JSON and SPDX 2.3 JSON from an inventory report. */
import type { InventoryReport } from '../image/report.ts';
import { renderCycloneDx, type SbomOptions } from './cyclonedx.ts';
import { renderSpdx } from './spdx.ts';

export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export function renderSbom(report: InventoryReport, format: SbomFormat, options: SbomOptions = {}): string {
  return format === 'cyclonedx' ? renderCycloneDx(report, options) : renderSpdx(report, options);
}

export { buildCycloneDx, renderCycloneDx, type SbomOptions } from './cyclonedx.ts';
export { buildSpdx, renderSpdx } from './spdx.ts';
