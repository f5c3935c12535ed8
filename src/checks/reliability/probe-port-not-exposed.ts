/**
 * A probe that names a port (`port: http`) resolves it against the container's own
 * `ports[*].name`; a name the container does not declare makes the probe fail on every try, so
 * the container never becomes ready or is restarted forever. Reads `port` of httpGet and
 * tcpSocket in liveness, readiness and startup probes of every container. Numeric ports are
 * not judged: a container may listen on ports it does not declare.
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

function declaredPortNames(container: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const p of asArray(container['ports'])) {
    const name = asString(asObject(p)?.['name']);
    if (name !== undefined) names.add(name);
  }
  return names;
}

export default defineCheck({
  id: 'K8S-PROBE-PORT-NOT-EXPOSED',
  title: 'Probe uses a port name the container does not declare',
  severity: 'medium',
  category: 'reliability',
  description: 'A probe that refers to an undeclared named port can never succeed: the pod never becomes ready or is restarted in a loop.',
  remediation: 'Use a port name listed in the container\'s `ports` (or the numeric port).',
  fields: PROBES.flatMap((p) => HANDLERS.map((h) => `spec.containers[*].${p}.${h}.port`)),
  frameworks: {},
  aliases: ['liveness-port', 'readiness-port', 'startup-port'],
  concepts: [61],
  kinds: 'workload',
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      let names: Set<string> | undefined;
      for (const probe of PROBES) {
        for (const handler of HANDLERS) {
          const port = asObject(asObject(c.container[probe])?.[handler])?.['port'];
          if (typeof port !== 'string' || /^\d+$/.test(port)) continue;
          names ??= declaredPortNames(c.container);
          if (!names.has(port)) ctx.report([...c.path, probe, handler, 'port'], `container "${c.name}" ${probe} uses port "${port}", which the container does not declare`);
        }
      }
    }
  },
});
