/**
 * Runtime cost accounting for CEL evaluation, like the API server's: every evaluated AST node costs
 * one unit and library functions charge for the size of their work (lists.range, sort, sets …).
 * An evaluation over its limit (1,000,000 per expression by default, Kubernetes' PerCallLimit) or
 * past its deadline stops with an error instead of hanging. cel-js has no cost hook, so the
 * compiled AST's nodes are wrapped once after type checking (instrument()).
 */

/** Kubernetes' per-expression runtime cost limit (celconfig.PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;
/** Kubernetes' runtime budget for one policy evaluation (celconfig.RuntimeCELCostBudget). */
export const RUNTIME_BUDGET = 10_000_000;
/** Wall-clock limit for one expression, a backstop for work the cost model does not see. */
export const DEFAULT_TIMEOUT_MS = 2_000;

export class CostLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostLimitError';
  }
}

interface Meter {
  used: number;
  limit: number;
  deadline: number;
}

let meter: Meter = { used: 0, limit: Infinity, deadline: Infinity };

/** Adds `units` to the running evaluation's cost; throws when over the limit or the deadline. */
export function charge(units: number): void {
  const m = meter;
  m.used += units;
  if (m.used > m.limit) throw new CostLimitError('operation cancelled: actual cost limit exceeded');
  if ((m.used & 0xfff) === 0 && Date.now() > m.deadline) throw new CostLimitError(`operation cancelled: evaluation took longer than ${DEFAULT_TIMEOUT_MS} ms`);
}

/** Runs `fn` under its own meter (nested evaluations, e.g. lazy VAP variables, get their own). Returns the result and the cost. */
export function metered<T>(limit: number, timeoutMs: number, fn: () => T): { value: T; cost: number } {
  const outer = meter;
  const own: Meter = { used: 0, limit, deadline: Date.now() + timeoutMs };
  meter = own;
  try {
    const value = fn();
    return { value, cost: own.used };
  } finally {
    meter = outer;
    lastCost = own.used;
  }
}

let lastCost = 0;

/** Cost of the last metered() run, including one that ended in an error. */
export function lastMeteredCost(): number {
  return lastCost;
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function isNode(v: unknown): v is Any {
  return v !== null && typeof v === 'object' && typeof (v as Any).op === 'string' && 'args' in (v as object) && typeof (v as Any).evaluate === 'function';
}

/** Wraps every node of a checked cel-js AST so that evaluating it charges one unit. */
export function instrument(root: unknown): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 10_000) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    if (isNode(v)) {
      const node = v as Any;
      wrap(node);
      visit(node.args, depth + 1);
      const meta = node.meta as Any;
      if (meta?.alternate) visit(meta.alternate, depth + 1);
      if (meta?.macro) for (const x of Object.values(meta.macro as object)) visit(x, depth + 1);
      return;
    }
    if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(root, 0);
}

function wrap(node: Any): void {
  const meta = node.meta as Any;
  let target: (ev: unknown, ast: unknown, ctx: unknown) => unknown;
  if (meta.alternate) {
    const alt = meta.alternate;
    target = (ev, _ast, ctx) => alt.evaluate(ev, alt, ctx);
  } else if (meta.macro) {
    const macro = meta.macro;
    target = (ev, _ast, ctx) => macro.evaluate(ev, macro, ctx);
  } else {
    const evaluate = meta.evaluate as (ev: unknown, ast: unknown, ctx: unknown) => unknown;
    target = evaluate;
  }
  node.evaluate = function (ev: unknown, ast: unknown, ctx: unknown): unknown {
    charge(1);
    return target(ev, ast, ctx);
  };
}
