/**
 * `sudo` in a container's command means the image ships sudo and the process expects to gain
 * root inside the container, defeating runAsNonRoot-style hardening. Reads
 * `command[*]` and `args[*]` of every container for the word `sudo`. Opt-in: only kubescape
 * runs it.
 */
import { asArray } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const SUDO = /(^|[\s;&|/(])sudo(\s|$)/;

export default defineCheck({
  id: 'K8S-SUDO-ENTRYPOINT',
  title: 'sudo in container command',
  severity: 'medium',
  category: 'components',
  description: 'The container command or arguments call sudo, so the workload escalates to root inside the container.',
  remediation: 'Remove sudo from the image and the command; grant the process only the permissions it needs at build time or via capabilities.',
  fields: ['spec.containers[*].command', 'spec.containers[*].args'],
  frameworks: {},
  aliases: ['C-0062'],
  concepts: [145],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      for (const key of ['command', 'args'] as const) {
        asArray(c.container[key]).forEach((a, i) => {
          if (typeof a === 'string' && SUDO.test(a)) ctx.report([...c.path, key, i], `container "${c.name}" calls sudo in ${key}`);
        });
      }
    }
  },
});
