/**
 * git-sync runs whatever binary `GITSYNC_GIT` / `GIT_SYNC_GIT` / `--git` names as "git": whoever
 * can edit the pod spec (or the env source) gets code execution in a container that usually
 * holds repository credentials. Reads containers' `env[*].name` and git-sync `--git` flags;
 * allowed: unset. Opt-in: only checkov runs it.
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { containerImage, parseImage } from '../helpers.ts';

const GIT_ENV = new Set(['GITSYNC_GIT', 'GIT_SYNC_GIT']);

export default defineCheck({
  id: 'K8S-GIT-SYNC-CUSTOM-GIT',
  title: 'git-sync runs a custom git binary',
  severity: 'medium',
  category: 'components',
  description: 'The git-sync container is told to execute a custom "git" command, an easy path to code injection next to the repository credentials.',
  remediation: 'Remove the GITSYNC_GIT / GIT_SYNC_GIT variable and the `--git` flag so that git-sync runs its bundled git.',
  fields: ['spec.containers[*].env[*].name', 'spec.containers[*].args'],
  frameworks: {},
  aliases: ['CKV_K8S_159'],
  concepts: [144],
  kinds: 'workload',
  enabledByDefault: false,
  run(ctx) {
    for (const c of ctx.workload!.containers) {
      asArray(c.container['env']).forEach((e, i) => {
        const name = asString(asObject(e)?.['name']);
        if (name !== undefined && GIT_ENV.has(name)) ctx.report([...c.path, 'env', i, 'name'], `container "${c.name}" sets ${name}`);
      });
      if (!parseImage(containerImage(c) ?? '').repository.endsWith('git-sync')) continue;
      for (const key of ['command', 'args'] as const) {
        asArray(c.container[key]).forEach((a, i) => {
          if (typeof a === 'string' && /^--?git(=|$)/.test(a)) ctx.report([...c.path, key, i], `container "${c.name}" passes ${a} to git-sync`);
        });
      }
    }
  },
});
