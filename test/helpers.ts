/** Shared test helpers: scan inline YAML through the real engine. */
import './hermetic.ts';
import { scanManifests, type ScanOptions } from '../src/scan.ts';
import type { Check } from '../src/checks/types.ts';
import type { Finding, Report } from '../src/core/finding.ts';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Where the upstream conformance fixtures live (a sibling of the checkout, also in CI). */
export const SHARED_TESTDATA = fileURLToPath(new URL('../../shared/testdata/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const examplesDir = (...parts: string[]): string => join(REPO_ROOT, 'examples', ...parts);

/** Scan `yaml` as if it were the file `name` (default `test.yaml`), without any bosun.yaml. */
export async function scanYaml(yaml: string, options: ScanOptions & { name?: string; only?: Check | readonly Check[] } = {}): Promise<Report> {
  const { name = 'test.yaml', only, ...rest } = options;
  const scanOptions: ScanOptions = { config: false, ...rest };
  if (only !== undefined) scanOptions.checks = Array.isArray(only) ? only : [only as Check];
  return scanManifests([{ name, content: yaml }], scanOptions);
}

/** Compact view of findings for exact assertions: `RULE fieldPath @line`. */
export function summarize(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${f.fieldPath ?? ''} @${f.location?.line ?? '?'}`);
}
