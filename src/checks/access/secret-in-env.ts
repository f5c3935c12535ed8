/**
 * Secrets passed as environment variables leak through `env` dumps, crash reports, child
 * processes and `kubectl describe`-style tooling, and are not updated when the Secret rotates
 * (CIS 5.4.1: prefer files). Reads `env[*].valueFrom.secretKeyRef` and `envFrom[*].secretRef` of
 * every container (init, regular, ephemeral).
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-SECRET-IN-ENV',
  title: 'Secret consumed through environment variables',
  severity: 'low',
  category: 'access',
  description: 'Environment variables are copied into child processes and often logged; Secrets mounted as files are not, and follow rotation.',
  remediation: 'Mount the Secret as a volume (or a projected volume) and read it from the file.',
  fields: ['spec.containers[*].env[*].valueFrom.secretKeyRef', 'spec.containers[*].envFrom[*].secretRef'],
  frameworks: { cis: ['5.4.1'] },
  aliases: ['SecretsAsEnvironmentVariables', 'CKV_K8S_35', 'C-0207', 'read-secret-from-env-var'],
  concepts: [95],
  kinds: 'workload',
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      asArray(c.container['env']).forEach((raw, i) => {
        const env = asObject(raw);
        const ref = asObject(asObject(env?.['valueFrom'])?.['secretKeyRef']);
        if (ref === undefined) return;
        ctx.report([...c.path, 'env', i, 'valueFrom', 'secretKeyRef'], `container "${c.name}" reads Secret "${asString(ref['name']) ?? ''}" key "${asString(ref['key']) ?? ''}" into env "${asString(env!['name']) ?? ''}"`);
      });
      asArray(c.container['envFrom']).forEach((raw, i) => {
        const ref = asObject(asObject(raw)?.['secretRef']);
        if (ref === undefined) return;
        ctx.report([...c.path, 'envFrom', i, 'secretRef'], `container "${c.name}" loads all keys of Secret "${asString(ref['name']) ?? ''}" into its environment`);
      });
    }
  },
});
