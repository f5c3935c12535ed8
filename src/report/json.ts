/** The report as-is: the stable machine-readable contract (`schemaVersion`). */
import type { Report } from '../core/finding.ts';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
