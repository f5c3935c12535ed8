/**
 * A container whose env refers to a Secret or ConfigMap that does not exist fails to start
 * (CreateContainerConfigError) unless the reference is `optional: true`. Reads
 * `env[*].valueFrom.secretKeyRef/configMapKeyRef` and `envFrom[*].secretRef/configMapRef` and looks
 * the object up in the pod's namespace among the inputs. Off by default: manifest sets rarely
 * contain their Secrets.
 */
import type { Path } from '../../manifests/path.ts';
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck, type CheckContext } from '../types.ts';

function checkRef(ctx: CheckContext, ref: Record<string, unknown> | undefined, kind: 'Secret' | 'ConfigMap', path: Path, container: string): void {
  if (ref === undefined || ref['optional'] === true) return;
  const name = asString(ref['name']);
  if (!name) return;
  if (ctx.index.get(kind, ctx.index.namespaceOf(ctx.resource), name) !== undefined) return;
  ctx.report(path, `container "${container}" references ${kind} "${name}", which is not in the inputs`);
}

export default defineCheck({
  id: 'K8S-ENV-REF-MISSING',
  title: 'Environment references a missing Secret or ConfigMap',
  severity: 'low',
  category: 'access',
  description: 'A non-optional reference to a Secret or ConfigMap that does not exist keeps the container from starting.',
  remediation: 'Add the Secret or ConfigMap to the manifests, fix the name, or mark the reference `optional: true`.',
  fields: ['spec.containers[*].env[*].valueFrom.secretKeyRef.name', 'spec.containers[*].env[*].valueFrom.configMapKeyRef.name', 'spec.containers[*].envFrom[*].secretRef.name', 'spec.containers[*].envFrom[*].configMapRef.name'],
  frameworks: {},
  aliases: ['env-value-from'],
  concepts: [98],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      asArray(c.container['env']).forEach((raw, i) => {
        const from = asObject(asObject(raw)?.['valueFrom']);
        const base = [...c.path, 'env', i, 'valueFrom'];
        checkRef(ctx, asObject(from?.['secretKeyRef']), 'Secret', [...base, 'secretKeyRef', 'name'], c.name);
        checkRef(ctx, asObject(from?.['configMapKeyRef']), 'ConfigMap', [...base, 'configMapKeyRef', 'name'], c.name);
      });
      asArray(c.container['envFrom']).forEach((raw, i) => {
        const from = asObject(raw);
        checkRef(ctx, asObject(from?.['secretRef']), 'Secret', [...c.path, 'envFrom', i, 'secretRef', 'name'], c.name);
        checkRef(ctx, asObject(from?.['configMapRef']), 'ConfigMap', [...c.path, 'envFrom', i, 'configMapRef', 'name'], c.name);
      });
    }
  },
});
