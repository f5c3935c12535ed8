/**
 * The `authorizer` variable of ValidatingAdmissionPolicy expressions (Kubernetes' authz CEL
 * library): authorizer.group(g).resource(r)[.subresource(s)][.namespace(ns)][.name(n)].check(verb),
 * authorizer.path(p).check(verb), authorizer.serviceAccount(ns, name), authorizer.requestResource,
 * and the Decision's allowed(), reason(), errored(), error().
 *
 * Offline, answers come from an Authorize function (bosun builds one from the RBAC objects in the
 * inputs). Without one, a decision is errored and allowed() fails with "not evaluable": a policy
 * never silently gets "allowed".
 */
import type { Environment } from '@marcbachmann/cel-js';

export interface AuthorizationQuery {
  user: string;
  groups: readonly string[];
  verb: string;
  /** Resource request: API group, resource, subresource, namespace, name. */
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Non-resource request: the URL path. */
  path?: string;
}

export interface AuthorizationAnswer {
  allowed: boolean;
  reason: string;
}

/** Answers an authorization question, or undefined when it cannot be answered offline. */
export type Authorize = (query: AuthorizationQuery) => AuthorizationAnswer | undefined;

const NOT_EVALUABLE = 'authorizer check not evaluable offline: no RBAC objects in the inputs to answer it';

export class Decision {
  readonly answer: AuthorizationAnswer | undefined;
  constructor(answer: AuthorizationAnswer | undefined) {
    this.answer = answer;
  }
}

export class Authorizer {
  readonly authorize: Authorize | undefined;
  readonly user: string;
  readonly groups: readonly string[];
  readonly requestResource: ResourceCheck;
  constructor(authorize: Authorize | undefined, user: string, groups: readonly string[], request: Partial<AuthorizationQuery> = {}) {
    this.authorize = authorize;
    this.user = user;
    this.groups = groups;
    this.requestResource = new ResourceCheck(this, request);
  }
  decide(q: Omit<AuthorizationQuery, 'user' | 'groups'>): Decision {
    return new Decision(this.authorize?.({ ...q, user: this.user, groups: this.groups }));
  }
}

export class GroupCheck {
  readonly authorizer: Authorizer;
  readonly group: string;
  constructor(authorizer: Authorizer, group: string) {
    this.authorizer = authorizer;
    this.group = group;
  }
}

export class ResourceCheck {
  readonly authorizer: Authorizer;
  readonly q: Partial<AuthorizationQuery>;
  constructor(authorizer: Authorizer, q: Partial<AuthorizationQuery>) {
    this.authorizer = authorizer;
    this.q = q;
  }
  with(extra: Partial<AuthorizationQuery>): ResourceCheck {
    return new ResourceCheck(this.authorizer, { ...this.q, ...extra });
  }
}

export class PathCheck {
  readonly authorizer: Authorizer;
  readonly path: string;
  constructor(authorizer: Authorizer, path: string) {
    this.authorizer = authorizer;
    this.path = path;
  }
}

export function registerAuthorizer(env: Environment): void {
  env.registerType('kubernetes.authorization.Authorizer', { ctor: Authorizer, fields: { requestResource: 'kubernetes.authorization.ResourceCheck' } } as never);
  env.registerType('kubernetes.authorization.GroupCheck', { ctor: GroupCheck } as never);
  env.registerType('kubernetes.authorization.ResourceCheck', { ctor: ResourceCheck } as never);
  env.registerType('kubernetes.authorization.PathCheck', { ctor: PathCheck } as never);
  env.registerType('kubernetes.authorization.Decision', { ctor: Decision } as never);
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  const A = 'kubernetes.authorization.Authorizer';
  const G = 'kubernetes.authorization.GroupCheck';
  const R = 'kubernetes.authorization.ResourceCheck';
  const P = 'kubernetes.authorization.PathCheck';
  const D = 'kubernetes.authorization.Decision';
  fn(`${A}.group(string): ${G}`, (a: Authorizer, g: string) => new GroupCheck(a, g));
  fn(`${A}.path(string): ${P}`, (a: Authorizer, p: string) => new PathCheck(a, p));
  fn(`${A}.serviceAccount(string, string): ${A}`, (a: Authorizer, ns: string, name: string) =>
    new Authorizer(a.authorize, `system:serviceaccount:${ns}:${name}`, ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated']),
  );
  fn(`${G}.resource(string): ${R}`, (g: GroupCheck, r: string) => new ResourceCheck(g.authorizer, { group: g.group, resource: r }));
  fn(`${R}.subresource(string): ${R}`, (r: ResourceCheck, s: string) => r.with({ subresource: s }));
  fn(`${R}.namespace(string): ${R}`, (r: ResourceCheck, s: string) => r.with({ namespace: s }));
  fn(`${R}.name(string): ${R}`, (r: ResourceCheck, s: string) => r.with({ name: s }));
  fn(`${R}.check(string): ${D}`, (r: ResourceCheck, verb: string) => r.authorizer.decide({ ...r.q, verb }));
  fn(`${P}.check(string): ${D}`, (p: PathCheck, verb: string) => p.authorizer.decide({ path: p.path, verb }));
  fn(`${D}.allowed(): bool`, (d: Decision) => {
    if (d.answer === undefined) throw new Error(NOT_EVALUABLE);
    return d.answer.allowed;
  });
  fn(`${D}.reason(): string`, (d: Decision) => d.answer?.reason ?? '');
  fn(`${D}.errored(): bool`, (d: Decision) => d.answer === undefined);
  fn(`${D}.error(): string`, (d: Decision) => (d.answer === undefined ? NOT_EVALUABLE : ''));
}
