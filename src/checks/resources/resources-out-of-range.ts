/**
 * Organisations bound what one container may ask for: too small starves it, too large wastes
 * nodes or hides a typo (`2000` cores for `2000m`). Reads `resources.requests.*` and
 * `resources.limits.*` of regular containers against the `resourceRanges` setting, e.g.
 * `{ "limits.memory": { "min": "64Mi", "max": "4Gi" }, "requests.cpu": { "max": "2" } }`.
 * Unset or unparsable values are left to the "missing" checks.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { regularContainers, resourceEntry, type ResourceSection } from './container-resources.ts';
import { parseQuantity } from './quantity.ts';

interface Range {
  key: string;
  section: ResourceSection;
  name: string;
  min: { text: string; value: number } | undefined;
  max: { text: string; value: number } | undefined;
}

function bound(value: unknown): { text: string; value: number } | undefined {
  const parsed = parseQuantity(value);
  return parsed === undefined ? undefined : { text: String(value), value: parsed };
}

function rangesFrom(setting: unknown): Range[] {
  const out: Range[] = [];
  for (const [key, spec] of Object.entries(asObject(setting) ?? {})) {
    const [section, name] = key.split('.', 2);
    if ((section !== 'requests' && section !== 'limits') || name === undefined) continue;
    const s = asObject(spec);
    out.push({ key, section, name, min: bound(s?.['min']), max: bound(s?.['max']) });
  }
  return out;
}

export default defineCheck({
  id: 'K8S-RESOURCES-OUT-OF-RANGE',
  title: 'Resource request or limit outside the allowed range',
  severity: 'low',
  category: 'resources',
  description: 'Requests and limits outside the ranges the platform team set either starve the container or reserve capacity no workload needs.',
  remediation: 'Bring the request/limit within the configured `resourceRanges` (or change the ranges in bosun.yaml).',
  fields: ['spec.containers[*].resources.requests', 'spec.containers[*].resources.limits'],
  frameworks: {},
  aliases: ['resourceMinimum', 'resourceMaximum', 'C-0004', 'C-0050', 'cpu-requirements', 'memory-requirements'],
  concepts: [44],
  kinds: 'workload',
  enabledByDefault: false,
  settings: { resourceRanges: {} },
  run(ctx) {
    const ranges = rangesFrom(ctx.setting<unknown>('resourceRanges'));
    if (ranges.length === 0) return;
    for (const c of regularContainers(ctx)) {
      for (const r of ranges) {
        const entry = resourceEntry(c, r.section, r.name);
        const value = parseQuantity(entry.value);
        if (value === undefined) continue;
        if (r.min !== undefined && value < r.min.value) {
          ctx.report(entry.path, `container "${c.name}" ${r.key} ${String(entry.value)} is below the minimum ${r.min.text}`);
        } else if (r.max !== undefined && value > r.max.value) {
          ctx.report(entry.path, `container "${c.name}" ${r.key} ${String(entry.value)} is above the maximum ${r.max.text}`);
        }
      }
    }
  },
});
