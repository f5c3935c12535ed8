/** Reports built through the real engine, shared by the report tests. */
import privileged from '../../src/checks/pod-security/privileged.ts';
import { defineCheck, type Check } from '../../src/checks/types.ts';
import type { Report } from '../../src/core/finding.ts';
import type { RuleMeta } from '../../src/core/rule.ts';
import { scanYaml } from '../helpers.ts';

/** A test-local check: every object should carry an `owner` label. */
export const ownerLabel: Check = defineCheck({
  id: 'TEST-OWNER',
  title: 'Missing owner label',
  severity: 'low',
  category: 'hygiene',
  description: 'Objects without an owner label cannot be routed to a team.',
  remediation: 'Add `metadata.labels.owner`.',
  fields: ['metadata.labels.owner'],
  frameworks: {},
  aliases: [],
  concepts: [],
  kinds: 'all',
  run(ctx) {
    if (ctx.resource.labels['owner'] === undefined) ctx.report(['metadata', 'labels', 'owner'], `${ctx.resource.kind} "${ctx.resource.name}" has no owner label`);
  },
});

export const CHECKS: readonly Check[] = [privileged, ownerLabel];
export const RULES: readonly RuleMeta[] = CHECKS;

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    owner: team-a
spec:
  containers:
    - name: app
      image: nginx
      securityContext:
        privileged: true
`;

/** One critical finding, nothing else. */
export function smallReport(): Promise<Report> {
  return scanYaml(PRIVILEGED_POD, { only: CHECKS, name: 'k8s/pod.yaml' });
}

/**
 * Findings, a suppressed one (annotation), an input error, an expired waiver, and a resource whose
 * name and container name carry ANSI escapes, markup, `|` and newlines.
 */
export function mixedReport(): Promise<Report> {
  const yaml = `${PRIVILEGED_POD}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "evil\\e[31m</x>|\\nname"
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: "a|b\\u0007<script>&amp;]]>"
          image: nginx
          securityContext:
            privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  labels:
    owner: team-b
  annotations:
    bosun.dev/ignore: "K8S-PRIVILEGED"
    bosun.dev/ignore-reason: "debug pod, deleted after the incident"
spec:
  containers:
    - name: shell
      image: busybox
      securityContext:
        privileged: true
---
kind: [unclosed
`;
  return scanYaml(yaml, {
    only: CHECKS,
    name: 'k8s/app.yaml',
    now: new Date('2025-06-01T00:00:00Z'),
    config: { waivers: [{ rule: 'TEST-*', kind: 'Namespace', reason: 'namespaces are owned by platform', expires: '2025-01-01' }], checks: {} },
  });
}
