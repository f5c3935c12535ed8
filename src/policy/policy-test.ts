/**
 * Policy tests as data (`apiVersion: bosun.dev/v1`, `kind: PolicyTest`), in the spirit of
 * `kyverno test` and `gator verify`: policies + resources + the expected result per policy and
 * resource, run offline with the same engine as `bosun scan --policy`.
 *
 *   spec:
 *     policies: [../replica-limit.yaml]      # files or directories, relative to the test file
 *     resources: [resources.yaml]
 *     results:
 *     - { policy: replica-limit.bosun.dev, kind: Deployment, namespace: shop, name: web, result: fail, message: "replicas must be" }
 */
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { Finding, InputError } from '../core/finding.ts';
import { loadManifests } from '../manifests/load.ts';
import { evaluatePolicySet, loadPolicySet } from './policy-set.ts';

const testSchema = z.strictObject({
  policies: z.array(z.string().min(1)).min(1),
  resources: z.array(z.string().min(1)).min(1),
  results: z
    .array(
      z.strictObject({
        policy: z.string().min(1),
        kind: z.string().min(1),
        name: z.string().min(1),
        namespace: z.string().optional(),
        result: z.enum(['pass', 'fail']),
        message: z.string().optional(),
      }),
    )
    .min(1),
});

export interface ExpectationOutcome {
  test: string;
  expectation: string;
  ok: boolean;
  /** Why it did not hold. */
  detail?: string;
}

export interface PolicyTestReport {
  outcomes: ExpectationOutcome[];
  errors: InputError[];
  passed: number;
  failed: number;
}

function ruleMatches(ruleId: string, policy: string): boolean {
  return ruleId === policy || ruleId === `vap/${policy}` || ruleId === `rule/${policy}`;
}

/** Runs every PolicyTest found in the inputs (files or directories). */
export async function runPolicyTests(inputs: readonly string[]): Promise<PolicyTestReport> {
  const loaded = await loadManifests(inputs);
  const report: PolicyTestReport = { outcomes: [], errors: [...loaded.errors], passed: 0, failed: 0 };
  const tests = loaded.resources.filter((r) => r.kind === 'PolicyTest' && r.apiVersion.startsWith('bosun.dev/'));
  if (tests.length === 0 && report.errors.length === 0) report.errors.push({ code: 'E_POLICY_TEST', file: inputs.join(', '), message: `${inputs.join(', ')}: no bosun.dev/v1 PolicyTest found` });
  for (const t of tests) {
    const parsed = testSchema.safeParse(t.object['spec']);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      report.errors.push({ code: 'E_POLICY_TEST', file: t.source.path, message: `${t.source.path}: PolicyTest "${t.name}": spec${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}` });
      continue;
    }
    const base = dirname(resolve(t.source.path));
    const set = await loadPolicySet(parsed.data.policies.map((p) => resolve(base, p)));
    const resources = await loadManifests(parsed.data.resources.map((p) => resolve(base, p)));
    const evaluated = evaluatePolicySet(set, resources.resources, 'default');
    const errors = [...resources.errors, ...evaluated.errors];
    if (errors.length > 0) {
      report.errors.push(...errors.map((e) => ({ ...e, message: `PolicyTest "${t.name}": ${e.message}` })));
      continue;
    }
    for (const e of parsed.data.results) {
      const hits = evaluated.findings.filter((f: Finding) => {
        if (!ruleMatches(f.ruleId, e.policy) || f.target.type !== 'resource') return false;
        return f.target.kind === e.kind && f.target.name === e.name && (e.namespace === undefined || (f.target.namespace ?? 'default') === e.namespace);
      });
      const what = `${e.policy} on ${e.kind} ${e.namespace === undefined ? '' : `${e.namespace}/`}${e.name} is ${e.result}`;
      let detail: string | undefined;
      if (e.result === 'pass' && hits.length > 0) detail = `got fail: ${hits[0]!.message}`;
      if (e.result === 'fail' && hits.length === 0) detail = 'got pass';
      if (e.result === 'fail' && hits.length > 0 && e.message !== undefined && !hits.some((h) => h.message.includes(e.message!))) detail = `message does not contain ${JSON.stringify(e.message)}: ${hits[0]!.message}`;
      report.outcomes.push({ test: t.name, expectation: what, ok: detail === undefined, ...(detail !== undefined && { detail }) });
    }
  }
  report.passed = report.outcomes.filter((o) => o.ok).length;
  report.failed = report.outcomes.length - report.passed;
  return report;
}
