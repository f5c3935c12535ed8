/**
 * CEL as Kubernetes evaluates it: @marcbachmann/cel-js with the Kubernetes environment options
 * (homogeneous aggregate literals, optional types, cross-type numeric comparisons) and the
 * Kubernetes CEL libraries (src/policy/k8s/) registered on top. Expressions are always
 * type-checked at compile time, as kube-apiserver does.
 */
import { Environment } from '@marcbachmann/cel-js';
import { BosunError } from '../core/errors.ts';
import { toCel } from './values.ts';
import { prepareAst, unrenamed } from './ast.ts';
import { rewriteOptionalLiterals } from './optional-syntax.ts';
import { DEOPT, composedRawRoot, composedRoot, installFastPaths } from './fastpath.ts';
import { correctSemantics, registerTypeNames, resolveTypeNames } from './semantics.ts';
import { registerKubernetesLibrary } from './k8s/index.ts';
import { CostLimitError, DEFAULT_TIMEOUT_MS, PER_CALL_LIMIT, instrument, lastMeteredCost, metered } from './cost.ts';

/** A compile or runtime failure of a CEL expression; `phase` says which. */
export class CelError extends BosunError {
  readonly phase: 'compile' | 'eval';
  readonly expression: string;
  constructor(phase: 'compile' | 'eval', expression: string, message: string, options?: { cause?: unknown }) {
    super(phase === 'compile' ? 'E_CEL_COMPILE' : 'E_CEL_EVAL', message, options);
    this.name = 'CelError';
    this.phase = phase;
    this.expression = expression;
  }
}

let baseEnv: Environment | undefined;

/** The Kubernetes CEL environment without variables; shared, variables are added per compile. */
export function kubernetesEnvironment(): Environment {
  if (baseEnv === undefined) {
    const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: true, enableOptionalTypes: true });
    registerKubernetesLibrary(env);
    registerTypeNames(env);
    baseEnv = env;
  }
  return baseEnv;
}

export interface CompiledCel {
  readonly expression: string;
  /** The checked result type, e.g. `bool`, `string`, `dyn`. */
  readonly type: string;
  /** Evaluates with already-converted CEL variables (see toCel), under the cost limit. */
  evaluate(variables: Record<string, unknown>, limits?: EvaluationLimits): unknown;
  /** evaluate() with the cost limit and deadline as arguments (no options object). */
  evaluateWithin(variables: Record<string, unknown>, costLimit: number, timeoutMs?: number): unknown;
  /**
   * evaluateWithin() that may read the activation's unconverted `object` and `variables` (the
   * rawKey(name) / RAW_VARIABLE keys of fastpath.ts) instead of converted ones. When lastRaw is
   * true afterwards the value is in raw form: lift() (fastpath.ts) gives the CEL value.
   */
  evaluateRawWithin(variables: Record<string, unknown>, costLimit: number, timeoutMs?: number): unknown;
  /** Cost of the last evaluation (cost units, as the API server counts them roughly: one per evaluated node plus library work). */
  readonly lastCost: number;
  /** Whether the last evaluateRawWithin() value is raw-form. */
  readonly lastRaw: boolean;
}

export interface EvaluationLimits {
  /** Cost units allowed for one evaluation (default 1,000,000, Kubernetes' per-call limit). */
  costLimit?: number;
  /** Wall-clock limit in milliseconds (default 2,000). */
  timeoutMs?: number;
}

/** Where evaluateRawWithin() keeps cel-js's root context for an activation object (with the registry it is for). */
export const ROOT_CONTEXT: unique symbol = Symbol('bosun.rootContext');

function rootOf(vars: Record<string | symbol, unknown>, registry: unknown, Root: new (registry: unknown, vars: unknown) => unknown): unknown {
  const kept = vars[ROOT_CONTEXT] as { registry: unknown; root: unknown } | undefined;
  if (kept !== undefined && kept.registry === registry) return kept.root;
  const root = new Root(registry, vars);
  if (ROOT_CONTEXT in vars) vars[ROOT_CONTEXT] = { registry, root }; // (only activations that declare the field)
  return root;
}

/** How often a raw-mode evaluation fell back to converted values (for tests). */
export const rawStats = { deopts: 0 };

const envCache = new Map<string, Environment>();

function environmentFor(variables: readonly string[]): Environment {
  const key = [...variables].sort().join('\0');
  let env = envCache.get(key);
  if (env === undefined) {
    env = kubernetesEnvironment().clone();
    for (const name of variables) env.registerVariable(name, 'dyn');
    envCache.set(key, env);
  }
  return env;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return unrenamed(message.split('\n')[0]!.trim());
}

export interface CompileOptions {
  /** Install the fast paths of src/policy/fastpath.ts (default true; false gives cel-js's generic evaluation, for comparing). */
  fastPaths?: boolean;
  /** Variables evaluateRawWithin() may read unconverted, under fastpath.ts's rawKey(name), `variables` through its RAW_VARIABLE method (default: both `object` and `variables`). */
  rawVariables?: readonly string[];
}

/** Parses and type-checks `expression` with the named variables declared `dyn`. Throws CelError (phase compile). */
export function compileCel(expression: string, variables: readonly string[], options: CompileOptions = {}): CompiledCel {
  const env = environmentFor(variables);
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(rewriteOptionalLiterals(expression));
  } catch (err) {
    throw new CelError('compile', expression, `compilation failed: ${firstLine(err)}`, { cause: err });
  }
  try {
    prepareAst(parsed.ast, () => env.parse('dyn(null)').ast);
    resolveTypeNames(parsed.ast, variables, env, (value) => Object.assign(env.parse('0').ast, { args: value }));
  } catch (err) {
    throw new CelError('compile', expression, `compilation failed: ${firstLine(err)}`, { cause: err });
  }
  const checked = parsed.check();
  if (!checked.valid) throw new CelError('compile', expression, `compilation failed: ${firstLine(checked.error)}`, { cause: checked.error });
  try {
    correctSemantics(parsed.ast);
  } catch (err) {
    throw new CelError('compile', expression, `compilation failed: ${firstLine(err)}`, { cause: err });
  }
  if (options.fastPaths !== false) installFastPaths(parsed.ast, options.rawVariables);
  instrument(parsed.ast);
  // A composed root is then called directly: cel-js's entry only makes the root context (of the
  // class and registry its first evaluation shows) and calls the root, which charges its unit.
  let run: (vars: Record<string, unknown>) => unknown = parsed;
  let rawRun: ((vars: Record<string, unknown>) => unknown) | undefined;
  const body = options.fastPaths !== false ? composedRoot(parsed.ast) : undefined;
  const rawRoot = options.fastPaths !== false ? composedRawRoot(parsed.ast) : undefined;
  if (body !== undefined) {
    const root = parsed.ast as unknown as { evaluate: (ev: unknown, ast: unknown, ctx: unknown) => unknown };
    const counted = root.evaluate;
    root.evaluate = (ev, ast, ctx) => {
      root.evaluate = counted;
      const e = ev as { registry: unknown };
      const Root = (ctx as object).constructor as new (registry: unknown, vars: unknown) => unknown;
      run = (vars) => body(e, new Root(e.registry, vars));
      // the root context is kept on the activation: it holds nothing but the variables (and conversions of them)
      if (rawRoot !== undefined) rawRun = (vars) => rawRoot.body(e, rootOf(vars, e.registry, Root));
      return counted(ev, ast, ctx); // (sets the evaluator's counting run, which the composed fallbacks use)
    };
  }
  const fail = (err: unknown): CelError => {
    if (err instanceof CelError) return err;
    const cause = err instanceof Error && err.cause instanceof CostLimitError ? err.cause : err;
    return new CelError('eval', expression, firstLine(cause), { cause: err });
  };
  const rawForm = rawRoot?.raw === true;
  const compiled = {
    expression,
    type: checked.type ?? 'dyn',
    lastCost: 0,
    lastRaw: false,
    evaluate(vars: Record<string, unknown>, limits: EvaluationLimits = {}): unknown {
      return compiled.evaluateWithin(vars, limits.costLimit ?? PER_CALL_LIMIT, limits.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    },
    evaluateWithin(vars: Record<string, unknown>, costLimit: number, timeoutMs: number = DEFAULT_TIMEOUT_MS): unknown {
      try {
        return metered(costLimit, timeoutMs, run, vars);
      } catch (err) {
        throw fail(err);
      } finally {
        compiled.lastCost = lastMeteredCost();
      }
    },
    evaluateRawWithin(vars: Record<string, unknown>, costLimit: number, timeoutMs: number = DEFAULT_TIMEOUT_MS): unknown {
      if (rawRun !== undefined) {
        try {
          const v = metered(costLimit, timeoutMs, rawRun, vars);
          compiled.lastRaw = rawForm;
          compiled.lastCost = lastMeteredCost();
          return v;
        } catch (err) {
          // DEOPT: the same evaluation from the start on converted values (the meter starts again)
          if (err !== DEOPT) {
            compiled.lastCost = lastMeteredCost();
            throw fail(err);
          }
          rawStats.deopts++;
        }
      }
      compiled.lastRaw = false;
      return compiled.evaluateWithin(vars, costLimit, timeoutMs);
    },
  };
  return compiled;
}

/**
 * Evaluates one CEL expression in the Kubernetes environment. `variables` are plain data
 * (JSON/YAML values; integral numbers become int). Throws CelError on compile or runtime errors.
 */
export function evaluateCel(expression: string, variables: Record<string, unknown> = {}): unknown {
  const compiled = compileCel(expression, Object.keys(variables));
  const converted: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(variables)) converted[k] = toCel(v);
  return compiled.evaluate(converted);
}
