/**
 * An Ingress or Gateway API route that sends traffic to a Service missing from the inputs (or
 * to a port the Service does not expose) answers with errors. Reads Ingress
 * `spec.defaultBackend.service`, `spec.rules[*].http.paths[*].backend.service` (and the
 * extensions/v1beta1 `serviceName`/`servicePort`), and `spec.rules[*].backendRefs[*]` of
 * HTTPRoute, GRPCRoute, TCPRoute, TLSRoute and UDPRoute (kind Service, same namespace unless
 * `namespace` is set). Skipped when the inputs contain no Service at all.
 */
import type { Path } from '../../manifests/path.ts';
import { asArray, asObject, asString } from '../../manifests/path.ts';
import type { Resource } from '../../manifests/resource.ts';
import type { CheckContext } from '../types.ts';
import { defineCheck } from '../types.ts';
import { inventory } from './inventory.ts';

const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

interface BackendRef {
  path: Path;
  namespace: string;
  name: string;
  /** Number or port name; undefined when the reference names no port. */
  port: number | string | undefined;
}

export default defineCheck({
  id: 'K8S-ROUTE-BACKEND-MISSING',
  title: 'Ingress or route backend Service missing',
  severity: 'low',
  category: 'network',
  description: 'The Ingress or Gateway API route points to a Service (or Service port) that does not exist in the scanned manifests.',
  remediation: 'Fix the backend Service name and port, or add the missing Service.',
  fields: ['spec.defaultBackend.service', 'spec.rules[*].http.paths[*].backend.service', 'spec.rules[*].backendRefs[*]'],
  frameworks: {},
  aliases: ['C-0298', 'C-0302', 'dangling-ingress', 'ingress-targets-service'],
  concepts: [133],
  kinds: ['Ingress', ...ROUTE_KINDS],
  run(ctx) {
    if (inventory(ctx.index).serviceCount === 0) return;
    const ns = ctx.index.namespaceOf(ctx.resource) ?? ctx.index.defaultNamespace;
    const refs = ctx.resource.kind === 'Ingress' ? ingressBackends(ctx.resource, ns) : routeBackends(ctx.resource, ns);
    for (const ref of refs) checkBackend(ctx, ref);
  },
});

function checkBackend(ctx: CheckContext, ref: BackendRef): void {
  const service = ctx.index.get('Service', ref.namespace, ref.name);
  if (service === undefined) {
    ctx.report(ref.path, `backend Service "${ref.namespace}/${ref.name}" is not in the inputs`);
    return;
  }
  if (ref.port === undefined) return;
  const ports = asArray(asObject(service.object['spec'])?.['ports']).map((p) => asObject(p) ?? {});
  const found = ports.some((p) => (typeof ref.port === 'number' ? p['port'] === ref.port : p['name'] === ref.port));
  if (!found) ctx.report(ref.path, `backend Service "${ref.namespace}/${ref.name}" has no port ${String(ref.port)}`);
}

function ingressBackends(r: Resource, ns: string): BackendRef[] {
  const spec = asObject(r.object['spec']) ?? {};
  const out: BackendRef[] = [];
  const add = (backend: unknown, path: Path): void => {
    const ref = ingressBackend(backend, path, ns);
    if (ref !== undefined) out.push(ref);
  };
  add(spec['defaultBackend'], ['spec', 'defaultBackend']);
  add(spec['backend'], ['spec', 'backend']);
  asArray(spec['rules']).forEach((rule, i) => {
    asArray(asObject(asObject(rule)?.['http'])?.['paths']).forEach((p, j) => add(asObject(p)?.['backend'], ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
  });
  return out;
}

function ingressBackend(value: unknown, path: Path, ns: string): BackendRef | undefined {
  const backend = asObject(value);
  if (backend === undefined) return undefined;
  const service = asObject(backend['service']);
  if (service !== undefined) {
    const name = asString(service['name']);
    if (name === undefined) return undefined;
    const port = asObject(service['port']);
    return { path: [...path, 'service', 'name'], namespace: ns, name, port: portOf(port?.['number'] ?? port?.['name']) };
  }
  const name = asString(backend['serviceName']);
  if (name === undefined) return undefined;
  return { path: [...path, 'serviceName'], namespace: ns, name, port: portOf(backend['servicePort']) };
}

function routeBackends(r: Resource, ns: string): BackendRef[] {
  const out: BackendRef[] = [];
  asArray(asObject(r.object['spec'])?.['rules']).forEach((rule, i) => {
    asArray(asObject(rule)?.['backendRefs']).forEach((b, j) => {
      const ref = asObject(b);
      const name = asString(ref?.['name']);
      if (ref === undefined || name === undefined) return;
      if ((asString(ref['kind']) ?? 'Service') !== 'Service' || (asString(ref['group']) ?? '') !== '') return;
      out.push({ path: ['spec', 'rules', i, 'backendRefs', j, 'name'], namespace: asString(ref['namespace']) ?? ns, name, port: portOf(ref['port']) });
    });
  });
  return out;
}

function portOf(value: unknown): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value !== '') return /^\d+$/.test(value) ? Number(value) : value;
  return undefined;
}
