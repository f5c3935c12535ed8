/**
 * A minimal structural validation of what the API server would reject, without full schemas:
 * `metadata.name` (or generateName) missing; `metadata.namespace` not a string; label values that are not strings of at most 63
 * characters of `[A-Za-z0-9_.-]` starting and ending alphanumeric; a pod spec without
 * containers; containers without a name or image; `containerPort` not an integer 1-65535;
 * `spec.replicas` of a controller not a non-negative integer.
 */
import type { Path } from '../../manifests/path.ts';
import { asArray, asObject, isObject } from '../../manifests/path.ts';
import type { CheckContext } from '../types.ts';
import { defineCheck } from '../types.ts';
import { REPLICATED_KINDS } from './workload-index.ts';

const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

const isNonEmptyString = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

function checkMetadata(ctx: CheckContext): void {
  const meta = ctx.resource.metadata;
  if (!isNonEmptyString(meta['name']) && !isNonEmptyString(meta['generateName'])) ctx.report(['metadata', 'name'], `${ctx.resource.kind} has no metadata.name`);
  // (`namespace: n` or `namespace: no` is the boolean false in Kubernetes' YAML; bosun then places the object in the default namespace)
  if (meta['namespace'] !== undefined && meta['namespace'] !== null && typeof meta['namespace'] !== 'string') ctx.report(['metadata', 'namespace'], `metadata.namespace ${JSON.stringify(meta['namespace'])} is not a string (quote it)`);
  for (const [key, value] of Object.entries(asObject(meta['labels']) ?? {})) {
    if (typeof value !== 'string') ctx.report(['metadata', 'labels', key], `label "${key}" value must be a string (quote it)`);
    else if (!LABEL_VALUE.test(value)) ctx.report(['metadata', 'labels', key], `label "${key}" value "${value}" is not a valid label value`);
  }
}

function checkContainers(ctx: CheckContext): void {
  const w = ctx.workload!;
  const regular = w.podSpec['containers'];
  if (!Array.isArray(regular) || regular.length === 0) ctx.report([...w.specPath, 'containers'], 'the pod spec has no containers');
  for (const group of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    asArray(w.podSpec[group]).forEach((c, i) => {
      const path: Path = [...w.specPath, group, i];
      if (!isObject(c)) return ctx.report(path, `${group}[${i}] is not an object`);
      if (!isNonEmptyString(c['name'])) ctx.report([...path, 'name'], `${group}[${i}] has no name`);
      if (!isNonEmptyString(c['image'])) ctx.report([...path, 'image'], `${group}[${i}] has no image`);
      asArray(c['ports']).forEach((p, j) => {
        const port = asObject(p)?.['containerPort'];
        if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
          ctx.report([...path, 'ports', j, 'containerPort'], `${group}[${i}] containerPort ${JSON.stringify(port) ?? 'missing'} is not a port number (1-65535)`);
        }
      });
    });
  }
}

export default defineCheck({
  id: 'K8S-MANIFEST-INVALID',
  title: 'Manifest fails basic structural validation',
  severity: 'low',
  category: 'reliability',
  description: 'Objects with missing names, invalid label values, containers without name or image, or mistyped well-known fields are rejected by the API server.',
  remediation: 'Fix the reported field; validate manifests against the Kubernetes schemas (e.g. `kubectl apply --dry-run=server`).',
  fields: ['metadata.name', 'metadata.namespace', 'metadata.labels', 'spec.containers', 'spec.containers[*].name', 'spec.containers[*].image', 'spec.containers[*].ports[*].containerPort', 'spec.replicas'],
  frameworks: {},
  aliases: ['schema-validation', 'label-values'],
  concepts: [87, 90],
  kinds: 'all',
  run(ctx) {
    checkMetadata(ctx);
    if (ctx.workload !== undefined) checkContainers(ctx);
    if (!REPLICATED_KINDS.includes(ctx.resource.kind)) return;
    const replicas = asObject(ctx.resource.object['spec'])?.['replicas'];
    if (replicas !== undefined && replicas !== null && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
      ctx.report(['spec', 'replicas'], `spec.replicas ${JSON.stringify(replicas)} is not a non-negative integer`);
    }
  },
});
