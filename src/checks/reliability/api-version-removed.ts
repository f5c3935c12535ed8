/**
 * An object whose apiVersion/kind is no longer served cannot be applied: the deployment fails on
 * the upgraded cluster. Reads `apiVersion` and `kind` of every object against a table of
 * removed APIs (removed-api-versions.ts). The `kubernetesVersion` setting (e.g. "1.24") limits
 * findings to APIs removed at or before that release; unset = every removed API.
 */
import { defineCheck } from '../types.ts';
import { releaseAtOrBefore, removedApi } from './removed-api-versions.ts';

export default defineCheck({
  id: 'K8S-API-VERSION-REMOVED',
  title: 'Removed apiVersion',
  severity: 'low',
  category: 'reliability',
  description: 'Kubernetes no longer serves this apiVersion for this kind; applying the manifest fails on current clusters and blocks upgrades.',
  remediation: 'Migrate the object to the replacement apiVersion (field changes may be needed, see the Kubernetes deprecated API migration guide).',
  fields: ['apiVersion', 'kind'],
  frameworks: {},
  aliases: ['C-0273', 'KSV-0107', 'no-extensions-v1beta', 'stable-version'],
  concepts: [89],
  kinds: 'all',
  settings: { kubernetesVersion: null },
  references: ['https://kubernetes.io/docs/reference/using-api/deprecation-guide/'],
  run(ctx) {
    const { apiVersion, kind } = ctx.resource;
    const removed = removedApi(apiVersion, kind);
    if (removed === undefined) return;
    const target = ctx.setting<unknown>('kubernetesVersion');
    if ((typeof target === 'string' || typeof target === 'number') && target !== '' && !releaseAtOrBefore(removed.removedIn, String(target))) return;
    const instead = removed.replacement === undefined ? 'with no replacement' : `use ${removed.replacement}`;
    ctx.report(['apiVersion'], `${apiVersion} ${kind} was removed in Kubernetes v${removed.removedIn}; ${instead}`);
  },
});
