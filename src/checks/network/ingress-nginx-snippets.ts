/**
 * CVE-2021-25742: ingress-nginx snippet annotations inject raw nginx configuration, and the
 * controller runs with a token that can read every Secret in the cluster; anyone who can create
 * an Ingress can read them. Reads Ingress annotations `nginx.ingress.kubernetes.io/*-snippet`
 * (configuration-, server-, auth-, stream-, modsecurity-snippet …) and the controller ConfigMap
 * key `allow-snippet-annotations`; allowed: no snippet annotation, and that key unset or "false".
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const SNIPPET_ANNOTATION = /^nginx\.ingress\.kubernetes\.io\/[a-z-]*snippet$/;

export default defineCheck({
  id: 'K8S-INGRESS-NGINX-SNIPPET',
  title: 'ingress-nginx snippet annotations',
  severity: 'high',
  category: 'network',
  description: 'Snippet annotations let whoever can edit an Ingress inject nginx configuration (Lua, alias, file reads) into the ingress-nginx controller, which can read all Secrets of the cluster (CVE-2021-25742).',
  remediation: 'Remove the snippet annotations and set `allow-snippet-annotations: "false"` in the ingress-nginx controller ConfigMap (the default since controller v1.9).',
  fields: ['metadata.annotations["nginx.ingress.kubernetes.io/*-snippet"]', 'ConfigMap.data["allow-snippet-annotations"]'],
  frameworks: { nsa: ['CVE-2021-25742-nginx-ingress-snippet-annotation-vulnerability'] },
  aliases: ['CKV_K8S_152', 'CKV_K8S_153', 'CKV_K8S_154', 'C-0059', 'KCV-0093'],
  concepts: [135],
  kinds: ['Ingress', 'ConfigMap'],
  references: ['https://github.com/kubernetes/ingress-nginx/issues/7837'],
  run(ctx) {
    if (ctx.resource.kind === 'ConfigMap') {
      const value = asObject(ctx.resource.object['data'])?.['allow-snippet-annotations'];
      if (String(value).toLowerCase() === 'true') ctx.report(['data', 'allow-snippet-annotations'], `ConfigMap "${ctx.resource.name}" allows ingress-nginx snippet annotations`);
      return;
    }
    for (const key of Object.keys(ctx.resource.annotations)) {
      if (SNIPPET_ANNOTATION.test(key)) ctx.report(['metadata', 'annotations', key], `Ingress "${ctx.resource.name}" sets snippet annotation ${key}`);
    }
  },
});
