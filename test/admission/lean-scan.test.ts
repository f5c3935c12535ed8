/**
 * The webhook's scan entry point: checks selected once (`prepareChecks`) and lean findings (no
 * location, no fingerprint) must judge exactly as the full scan does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareChecks, scanLoaded } from '../../src/scan.ts';
import { loadedFromObject } from '../../src/admission/object.ts';
import { EMPTY_CONFIG, type BosunConfig } from '../../src/config/types.ts';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { hostNetwork: true, containers: [{ name: 'web', image: 'nginx:latest', securityContext: { privileged: true } }, { name: 'side', image: 'busybox' }] },
    },
  },
};
const judged = (findings: Array<{ ruleId: string; severity: string; fieldPath?: string; message: string }>) => findings.map((f) => `${f.ruleId} ${f.severity} ${f.fieldPath} ${f.message}`);

test('prepared + lean scan: the same rules, severities, fields and messages as the full scan; no location, no fingerprint', () => {
  const opts = { pss: 'restricted:latest', failOn: 'none' as const, defaultNamespace: 'shop' };
  const full = scanLoaded(loadedFromObject('a', structuredClone(deployment)), EMPTY_CONFIG, opts);
  const lean = scanLoaded(loadedFromObject('a', structuredClone(deployment)), EMPTY_CONFIG, { ...opts, prepared: prepareChecks(EMPTY_CONFIG), lean: true });
  assert.ok(full.findings.length > 10, `a deployment with many findings (${full.findings.length})`);
  assert.deepEqual(judged(lean.findings), judged(full.findings));
  assert.ok(full.findings.every((f) => f.fingerprint !== '' && f.location !== undefined));
  assert.ok(lean.findings.every((f) => f.fingerprint === '' && f.location === undefined));
  assert.deepEqual(lean.summary.bySeverity, full.summary.bySeverity);
});

test('prepareChecks applies the config once: a disabled check stays out of every scan that reuses it', () => {
  const base = scanLoaded(loadedFromObject('a', structuredClone(deployment)), EMPTY_CONFIG, { prepared: prepareChecks(EMPTY_CONFIG), lean: true });
  const someRule = base.findings.find((f) => !f.ruleId.startsWith('pss/'))!.ruleId;
  const config: BosunConfig = { waivers: [], checks: { disable: [someRule] } };
  const prepared = prepareChecks(config);
  for (let i = 0; i < 3; i++) {
    const r = scanLoaded(loadedFromObject('a', structuredClone(deployment)), config, { prepared, lean: true });
    assert.equal(r.findings.some((f) => f.ruleId === someRule), false, `${someRule} is disabled`);
    assert.equal(r.findings.length, base.findings.filter((f) => f.ruleId !== someRule).length);
  }
});
