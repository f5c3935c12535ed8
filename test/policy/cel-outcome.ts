/** What the CEL tests share: a value as text that keeps what JSON loses, an outcome with its cost, the PSS example expressions and their checked ASTs. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { kubernetesEnvironment } from '../../src/policy/cel.ts';
import { prepareAst } from '../../src/policy/ast.ts';
import { correctSemantics } from '../../src/policy/semantics.ts';
import { fromCel } from '../../src/policy/values.ts';

/** A CEL value as text that keeps what JSON loses: int (bigint) vs double, Maps, class instances. */
export function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}i`;
  if (typeof v === 'number') return `${Object.is(v, -0) ? '-0' : String(v)}d`;
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map(describe).join(',')}]`;
  if (v instanceof Map) return `Map{${[...v].map(([k, x]) => `${describe(k)}:${describe(x)}`).join(',')}}`;
  const c = (v as object).constructor;
  if (c === Object || c === undefined) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${describe(x)}`).join(',')}}`;
  return `${c.name}(${JSON.stringify(fromCel(v))})`;
}

/** The value (described) or the error message of `f`, then the cost `cost` reports. */
export function show(f: () => unknown, cost: () => number): string {
  let r: string;
  try {
    r = describe(f());
  } catch (err) {
    r = `error: ${(err as Error).message}`;
  }
  return `${r} cost ${cost()}`;
}

const PSS_POLICIES = new URL('../../examples/policies/pss-restricted.yaml', import.meta.url);

/** Every variable and validation expression of examples/policies/pss-restricted.yaml. */
export function pssExpressions(): string[] {
  const out = new Set<string>();
  for (const d of jsyaml.loadAll(readFileSync(PSS_POLICIES, 'utf8')) as Array<{ kind?: string; spec?: { variables?: Array<{ expression: string }>; validations?: Array<{ expression: string }> } }>) {
    if (d?.kind !== 'ValidatingAdmissionPolicy') continue;
    for (const v of [...(d.spec?.variables ?? []), ...(d.spec?.validations ?? [])]) out.add(v.expression);
  }
  return [...out];
}

/** The checked and corrected cel-js AST of `expr` with `variables` as dyn, as compileCel makes it. */
export function checkedAst(expr: string, variables: string[]): unknown {
  const env = kubernetesEnvironment().clone();
  for (const v of variables) env.registerVariable(v, 'dyn');
  const parsed = env.parse(expr);
  prepareAst(parsed.ast, () => env.parse('dyn(null)').ast);
  assert.ok(parsed.check().valid, expr);
  correctSemantics(parsed.ast);
  return parsed.ast;
}
