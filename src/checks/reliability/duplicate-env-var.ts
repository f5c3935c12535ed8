/**
 * When a container lists the same environment variable twice, the last one silently wins (and
 * server-side apply rejects the duplicate key): the value the reader sees first is not the one
 * used. Reads `env[*].name` of every container; allowed: unique names.
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

export default defineCheck({
  id: 'K8S-DUPLICATE-ENV-VAR',
  title: 'Duplicate environment variable',
  severity: 'low',
  category: 'reliability',
  description: 'Duplicate environment variable names make the effective value depend on ordering and break server-side apply and strategic merge patches.',
  remediation: 'Remove the duplicate entry so each name appears once in `env`.',
  fields: ['spec.containers[*].env[*].name', 'spec.initContainers[*].env[*].name', 'spec.ephemeralContainers[*].env[*].name'],
  frameworks: {},
  aliases: ['C-0295', 'duplicate-env-var', 'environment-variable-key-duplication'],
  concepts: [83],
  kinds: 'workload',
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      const seen = new Set<string>();
      asArray(c.container['env']).forEach((e, i) => {
        const name = asString(asObject(e)?.['name']);
        if (name === undefined) return;
        if (seen.has(name)) ctx.report([...c.path, 'env', i, 'name'], `container "${c.name}" defines env var "${name}" more than once`);
        seen.add(name);
      });
    }
  },
});
