/**
 * Runtime cost accounting for CEL evaluation, like the API server's: every evaluated AST node costs
 * one unit and library functions charge for the size of their work (lists.range, sort, sets …).
 * An evaluation over its limit (1,000,000 per expression by default, Kubernetes' PerCallLimit) or
 * past its deadline stops with an error instead of hanging.
 *
 * cel-js has no cost hook, but every child node is evaluated through its evaluator's `run(ast, ctx)`;
 * instrument() wraps the root node so that the evaluator an expression runs on gets a counting
 * `run` (installed once per evaluator instance). The meter is module state saved and restored by
 * metered(), so counting a node is one increment and one comparison, with no allocation. The clock
 * is read only every 4,096 units: the deadline starts at the first such check.
 */

/** Kubernetes' per-expression runtime cost limit (celconfig.PerCallLimit). */
export const PER_CALL_LIMIT = 1_000_000;
/** Kubernetes' runtime budget for one policy evaluation (celconfig.RuntimeCELCostBudget). */
export const RUNTIME_BUDGET = 10_000_000;
/** Wall-clock limit for one expression, a backstop for work the cost model does not see. */
export const DEFAULT_TIMEOUT_MS = 2_000;

const CLOCK_EVERY = 4096;

export class CostLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostLimitError';
  }
}

/* The running evaluation's meter. `threshold` is min(limit, next clock check): one comparison per unit. */
let used = 0;
let limit = Infinity;
let timeoutMs = DEFAULT_TIMEOUT_MS;
let deadline = 0; // 0: not started (set at the first clock check)
let nextClock = CLOCK_EVERY;
let threshold = Infinity;
let lastCost = 0;
/**
 * Why the running evaluation was cancelled, once it was. Cancelling is final, as in cel-go: cel-js
 * treats any error inside `&&`, `||` and the quantifiers like an operand's error, which the other
 * operand may override (`expensive || true` would be true), so every later charge throws again and
 * metered() throws at the end even when the error was swallowed on the way.
 */
let cancelled: string | undefined;

function cancel(message: string): never {
  cancelled = message;
  threshold = -Infinity;
  throw new CostLimitError(message);
}

function overThreshold(): void {
  if (cancelled !== undefined) throw new CostLimitError(cancelled);
  if (used > limit) cancel('operation cancelled: actual cost limit exceeded');
  if (used >= nextClock) {
    nextClock = used + CLOCK_EVERY;
    const now = Date.now();
    if (deadline === 0) deadline = now + timeoutMs;
    else if (now > deadline) cancel(`operation cancelled: evaluation took longer than ${timeoutMs} ms`);
  }
  threshold = Math.min(limit, nextClock);
}

/** Adds `units` to the running evaluation's cost; throws when over the limit or the deadline. */
export function charge(units: number): void {
  used += units;
  if (used > threshold) overThreshold();
}

/**
 * Adds the units of `units` AST nodes evaluated one after the other with nothing observable
 * between (a fast path's batch): counted as that many one-unit charges would be, so past the limit
 * the cost is that of the first unit over it, not of the whole batch.
 */
export function chargeNodes(units: number): void {
  used += units;
  if (used > threshold) {
    if (used > limit) {
      const before = used - units;
      used = before >= limit ? before + 1 : limit + 1;
    }
    overThreshold();
  }
}

/**
 * Runs `fn(arg)` under its own meter (nested evaluations, e.g. lazy VAP variables, get their own)
 * and returns its value; the cost is then lastMeteredCost(), also after an error.
 */
export function metered<A, T>(costLimit: number, timeout: number, fn: (arg: A) => T, arg: A): T {
  const sUsed = used, sLimit = limit, sTimeout = timeoutMs, sDeadline = deadline, sNextClock = nextClock, sThreshold = threshold, sCancelled = cancelled;
  used = 0;
  limit = costLimit;
  timeoutMs = timeout;
  deadline = 0;
  nextClock = CLOCK_EVERY;
  threshold = Math.min(limit, nextClock);
  cancelled = undefined;
  try {
    const value = fn(arg);
    if (cancelled !== undefined) throw new CostLimitError(cancelled); // cancelled, and the error swallowed on the way
    return value;
  } catch (err) {
    // cancelled, and another error (an operand's, which cel-js preferred) on the way out
    if (cancelled !== undefined && !(err instanceof CostLimitError)) throw new CostLimitError(cancelled);
    throw err;
  } finally {
    lastCost = used;
    used = sUsed;
    limit = sLimit;
    timeoutMs = sTimeout;
    deadline = sDeadline;
    nextClock = sNextClock;
    threshold = sThreshold;
    cancelled = sCancelled;
  }
}

/** Cost of the last metered() run, including one that ended in an error. */
export function lastMeteredCost(): number {
  return lastCost;
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The evaluator `run` that charges one unit per evaluated node; installed on each cel-js evaluator instance an instrumented expression runs on. */
function countingRun(this: Any, ast: Any, ctx: unknown): unknown {
  if (++used > threshold) overThreshold();
  return ast.evaluate(this, ast, ctx);
}

/** Makes evaluating a checked cel-js AST charge one unit per evaluated node (the root included). */
export function instrument(root: unknown): void {
  const node = root as Any;
  const meta = node.meta as Any;
  let target: (ev: unknown, ast: unknown, ctx: unknown) => unknown;
  if (Object.hasOwn(node, 'evaluate')) {
    const own = node.evaluate as (ev: unknown, ast: unknown, ctx: unknown) => unknown;
    target = (ev, ast, ctx) => own.call(node, ev, ast, ctx);
  } else if (meta.alternate) {
    const alt = meta.alternate;
    target = (ev, _ast, ctx) => alt.evaluate(ev, alt, ctx);
  } else if (meta.macro) {
    const macro = meta.macro;
    target = (ev, _ast, ctx) => macro.evaluate(ev, macro, ctx);
  } else {
    target = meta.evaluate as (ev: unknown, ast: unknown, ctx: unknown) => unknown;
  }
  node.evaluate = function (ev: Any, ast: unknown, ctx: unknown): unknown {
    if (ev.run !== countingRun) ev.run = countingRun;
    if (++used > threshold) overThreshold();
    return target(ev, ast, ctx);
  };
}
