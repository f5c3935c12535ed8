/**
 * Contact annotations tell an on-call engineer whom to reach about a workload. Reads
 * `metadata.annotations` of workloads; allowed: every annotation in the `requiredAnnotations`
 * setting (default `["email"]`) present with a non-empty value (for `email`, an address).
 */
import { asArray } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export default defineCheck({
  id: 'K8S-REQUIRED-ANNOTATIONS-MISSING',
  title: 'Required annotation missing',
  severity: 'info',
  category: 'reliability',
  description: 'Workloads without the required annotations (contact email, runbook …) leave responders without an owner to contact.',
  remediation: 'Add the annotations listed in `requiredAnnotations` (bosun.yaml) to `metadata.annotations`.',
  fields: ['metadata.annotations'],
  frameworks: {},
  aliases: ['required-annotation-email'],
  concepts: [88],
  kinds: 'workload',
  enabledByDefault: false,
  settings: { requiredAnnotations: ['email'] },
  run(ctx) {
    for (const name of asArray(ctx.setting<unknown>('requiredAnnotations')).map(String)) {
      const value = ctx.resource.annotations[name];
      const path = ['metadata', 'annotations', name];
      if (value === undefined || value === '') ctx.report(path, `${ctx.resource.kind} "${ctx.resource.name}" has no "${name}" annotation`, { key: name });
      else if (name === 'email' && !EMAIL.test(value)) ctx.report(path, `annotation "email" value "${value}" is not an email address`, { key: name });
    }
  },
});
