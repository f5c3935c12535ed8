/**
 * A secret found in a manifest is reported, never repeated: not in a message, a title, a field
 * path, a SARIF snippet or an HTML page. Secrets are planted everywhere a manifest can carry one
 * (env values, ConfigMap data and keys' values, annotations, args, a Secret's stringData, URLs with
 * passwords, labels) and every report format bosun writes is searched for them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanManifests } from '../../src/scan.ts';
import { renderReport, REPORT_FORMATS_WITH_HTML } from '../../src/report/index.ts';
import { allRules } from '../../src/rules.ts';

const SECRETS = {
  aws: 'AKIAQWERTYUIOPASDFGH',
  github: 'ghp_R2d2C3poL3ia0bi1Wan4Ken0biYoda5678',
  slack: 'xoxb-123456789012-abcdefghijklmnop',
  password: 'Tr0ub4dor&3-horse-battery',
  url: 'hunter2hunter2',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3N1biJ9.c2lnbmF0dXJlc2lnbmF0dXJl',
  privateKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
};

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: leaky
  namespace: default
  annotations:
    deploy-token: "${SECRETS.github}"
    nginx.ingress.kubernetes.io/configuration-snippet: "proxy_set_header Authorization 'Bearer ${SECRETS.jwt}';"
spec:
  selector: {matchLabels: {app: leaky}}
  template:
    metadata: {labels: {app: leaky}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1
          args: ["--token=${SECRETS.slack}", "--db=postgres://admin:${SECRETS.url}@db:5432/app"]
          env:
            - {name: AWS_ACCESS_KEY_ID, value: "${SECRETS.aws}"}
            - {name: DB_PASSWORD, value: "${SECRETS.password}"}
            - {name: DATABASE_URL, value: "postgres://admin:${SECRETS.url}@db:5432/app"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data:
  github_token: "${SECRETS.github}"
  api-password: "${SECRETS.password}"
  key.pem: |
    -----BEGIN PRIVATE KEY-----
    ${SECRETS.privateKey}
    -----END PRIVATE KEY-----
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: default}
stringData:
  password: "${SECRETS.password}"
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
  annotations:
    nginx.ingress.kubernetes.io/server-snippet: "set $token ${SECRETS.slack};"
spec:
  rules: [{host: web.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`;

test('secrets planted in manifests appear in no report format', async () => {
  const report = await scanManifests([{ name: 'leaky.yaml', content: MANIFESTS }], { config: false, pss: 'restricted:latest' });
  const credentialFindings = report.findings.filter((f) => /CREDENTIAL|SECRET|SNIPPET/.test(f.ruleId));
  assert.ok(credentialFindings.length >= 5, `the secrets are found: ${report.findings.map((f) => f.ruleId).join(' ')}`);
  const rules = allRules();
  for (const format of REPORT_FORMATS_WITH_HTML) {
    const out = renderReport(report, format, { rules, color: true, width: 100 });
    for (const [kind, secret] of Object.entries(SECRETS)) {
      for (const piece of [secret, secret.slice(0, 12), secret.slice(-12)]) {
        assert.ok(!out.includes(piece), `${format} output repeats the ${kind} secret (${piece})`);
      }
    }
  }
});
