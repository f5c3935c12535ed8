/**
 * The optional-library functions cel-js lacks: optional.ofNonZeroValue, optMap, optFlatMap,
 * optional.unwrap and unwrapOpt (cel-go's OptionalTypes, as Kubernetes enables them from 1.28;
 * unwrap/unwrapOpt from 1.33).
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { numeric } from './common.ts';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ZERO_TIMESTAMP_MS = -62135596800000;

/** CEL zero values: null, 0, 0u, 0.0, '', b'', false, [], {}, timestamp(0001-01-01), duration(0). */
function isZero(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  const n = numeric(v);
  if (n !== undefined) return Number(n) === 0;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (v instanceof Date) return v.getTime() === ZERO_TIMESTAMP_MS; // 0001-01-01T00:00:00Z
  if (typeof v === 'object' && (v as object).constructor?.name === 'Duration') return Number((v as Any).seconds) === 0 && (v as Any).nanos === 0;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.keys(v as object).length === 0;
  return false;
}

function optionalMacro(env: Environment, name: string, flat: boolean): void {
  env.registerFunction(`optional.${name}(ast, ast): optional<dyn>`, (({ args, receiver }: Any): Any => {
    if (args[0].op !== 'id') throw new Error(`${name}() variable name must be a simple identifier`);
    const varName = args[0].args as string;
    let varType: Any;
    return {
      async: false,
      typeCheck(checker: Any, _m: Any, ctx: Any): Any {
        const t = checker.check(receiver, ctx);
        if (t.kind !== 'optional' && t.name !== 'dyn') throw checker.createError('no_matching_overload', `found no matching overload for '${t}.${name}'`, receiver);
        varType = t.valueType ?? checker.getType('dyn');
        const r = checker.check(args[1], ctx.forkWithVariable(varName, varType));
        if (flat) {
          if (r.kind !== 'optional' && r.name !== 'dyn') throw checker.createError('no_matching_overload', `${name}() expression must return an optional, got '${r}'`, args[1]);
          return r.kind === 'optional' ? r : checker.registry.getOptionalType(checker.getType('dyn'));
        }
        return checker.registry.getOptionalType(r);
      },
      evaluate(ev: Any, _m: Any, ctx: Any): unknown {
        const o = ev.run(receiver, ctx);
        if (!(o instanceof Optional)) throw new Error(`${name}() receiver must be optional`);
        if (!o.hasValue()) return Optional.none();
        const r = ev.run(args[1], ctx.forkWithVariable(varName, varType).setIterValue(o.value(), ev));
        return flat ? r : Optional.of(r);
      },
    };
  }) as never);
}

export function registerOptionals(env: Environment): void {
  env.registerFunction('OptionalNamespace.ofNonZeroValue(A): optional<A>', ((_: unknown, v: unknown) => (isZero(v) ? Optional.none() : Optional.of(v))) as never);
  const unwrap = (l: unknown[]): unknown[] => l.filter((o) => (o as Optional).hasValue()).map((o) => (o as Optional).value());
  env.registerFunction('OptionalNamespace.unwrap(list<optional<A>>): list<A>', ((_: unknown, l: unknown[]) => unwrap(l)) as never);
  env.registerFunction('list<optional<A>>.unwrapOpt(): list<A>', ((l: unknown[]) => unwrap(l)) as never);
  for (const sig of ['OptionalNamespace.unwrap(list<dyn>): list<dyn>', 'list<dyn>.unwrapOpt(): list<dyn>']) {
    try {
      env.registerFunction(sig, ((...a: unknown[]) => unwrap((sig.startsWith('Optional') ? a[1] : a[0]) as unknown[])) as never);
    } catch {
      /* cel-js sees it as overlapping the typed overload */
    }
  }
  optionalMacro(env, 'optMap', false);
  optionalMacro(env, 'optFlatMap', true);
}

/** Targets of the optional-literal rewrite (optional-syntax.ts): drop the empty optionals. */
export function registerOptionalLiterals(env: Environment): void {
  env.registerFunction('list<optional<A>>.k8s_optList(): list<A>', ((l: Optional[]) => l.filter((o) => o.hasValue()).map((o) => o.value())) as never);
  env.registerFunction('map.k8s_optMap(): map<dyn, dyn>', ((m: unknown) => {
    const out = new Map<unknown, unknown>();
    const entries = m instanceof Map ? [...m.entries()] : Object.entries(m as object);
    for (const [k, o] of entries) if ((o as Optional).hasValue()) out.set(k, (o as Optional).value());
    return out;
  }) as never);
}
