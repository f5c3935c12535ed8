/**
 * A PodDisruptionBudget with neither `spec.minAvailable` nor `spec.maxUnavailable` states no
 * budget; its intent is unclear and it does not do what its author meant. Reads both fields;
 * allowed: exactly one set.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

export default defineCheck({
  id: 'K8S-PDB-NO-POLICY',
  title: 'PodDisruptionBudget sets neither minAvailable nor maxUnavailable',
  severity: 'low',
  category: 'reliability',
  description: 'A PodDisruptionBudget without minAvailable or maxUnavailable does not express how many pods may be disrupted.',
  remediation: 'Set `spec.maxUnavailable` (preferred) or `spec.minAvailable`.',
  fields: ['spec.minAvailable', 'spec.maxUnavailable'],
  frameworks: {},
  aliases: ['poddisruptionbudget-has-policy'],
  concepts: [65],
  kinds: ['PodDisruptionBudget'],
  enabledByDefault: false,
  run(ctx) {
    const spec = asObject(ctx.resource.object['spec']) ?? {};
    if (isSet(spec['minAvailable']) || isSet(spec['maxUnavailable'])) return;
    ctx.report(['spec', 'maxUnavailable'], `PodDisruptionBudget "${ctx.resource.name}" sets neither minAvailable nor maxUnavailable`);
  },
});
