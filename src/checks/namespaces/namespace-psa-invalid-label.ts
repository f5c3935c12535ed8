/**
 * A mistyped Pod Security Admission label silently changes what is enforced: an unknown key
 * (`pod-security.kubernetes.io/enforced`) is ignored, so nothing is enforced; an invalid level
 * or version makes PSA fall back to its defaults. Reads every `pod-security.kubernetes.io/*`
 * label of a Namespace. Allowed keys: `enforce|audit|warn` and `<mode>-version`; levels:
 * privileged, baseline, restricted; versions: `latest` or `v1.<minor>`.
 * On by default although no peer runs it: it only fires on labels that are certainly wrong.
 */
import { defineCheck } from '../types.ts';
import { PSA_LEVELS, PSA_MODES, PSA_PREFIX, PSA_VERSION } from './pod-security-labels.ts';

export default defineCheck({
  id: 'K8S-NAMESPACE-PSA-INVALID-LABEL',
  title: 'Invalid Pod Security Admission label',
  severity: 'low',
  alsoReports: ['medium'],
  category: 'namespaces',
  description: 'A pod-security.kubernetes.io label has an unknown key or an invalid level/version, so Pod Security Admission does not apply what the label author intended.',
  remediation: 'Use `pod-security.kubernetes.io/<enforce|audit|warn>` with privileged, baseline or restricted, and `<mode>-version` with `latest` or `v1.<minor>`.',
  fields: ['metadata.labels["pod-security.kubernetes.io/*"]'],
  frameworks: { cis: ['5.2.1'] },
  aliases: [],
  concepts: [140],
  kinds: ['Namespace'],
  run(ctx) {
    for (const [key, value] of Object.entries(ctx.resource.labels)) {
      if (!key.startsWith(PSA_PREFIX)) continue;
      const problem = labelProblem(key.slice(PSA_PREFIX.length), value);
      if (problem === undefined) continue;
      ctx.report(['metadata', 'labels', key], `namespace "${ctx.resource.name}": ${problem}`, problem.startsWith('unknown') ? { severity: 'medium' } : undefined);
    }
  },
});

function labelProblem(name: string, value: string): string | undefined {
  const [mode, suffix] = name.split(/-(?=version$)/);
  if (!(PSA_MODES as readonly string[]).includes(mode ?? '') || (suffix !== undefined && suffix !== 'version')) return `unknown label ${PSA_PREFIX}${name} (ignored by Pod Security Admission)`;
  if (suffix === undefined && !PSA_LEVELS.includes(value)) return `invalid level "${value}" for ${PSA_PREFIX}${name}`;
  if (suffix === 'version' && !PSA_VERSION.test(value)) return `invalid version "${value}" for ${PSA_PREFIX}${name}`;
  return undefined;
}
