/**
 * `bosun policy eval --expr EXPR [--input FILE] [--var NAME=JSON]...`: evaluate one CEL expression
 * in the Kubernetes CEL environment and print the result as JSON (for debugging a rule).
 * `bosun policy validate PATH...`: compile every ValidatingAdmissionPolicy, binding and bosun Rule
 * in the files and report each problem (file:line, object, field); exit 2 when there is any.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { BosunError, EXIT, UsageError } from '../core/errors.ts';
import { compileCel, CelError } from '../policy/cel.ts';
import { celErrorText } from '../policy/vap.ts';
import { fromCel, parseJsonForCel, toCel } from '../policy/values.ts';
import { evaluatePolicySet, loadPolicySet } from '../policy/policy-set.ts';
import { runPolicyTests } from '../policy/policy-test.ts';
import { writeOutput } from './io.ts';

const HELP = `Usage:
  bosun policy eval --expr EXPR [--input FILE|-] [--var NAME=JSON]...
      Evaluate a CEL expression as Kubernetes does (Kubernetes CEL libraries, type-checked) and
      print the result as JSON. The input document (YAML or JSON) is bound to \`object\` and
      \`self\`; --var binds more variables (JSON values; integers are CEL int).
  bosun policy validate PATH...
      Compile every ValidatingAdmissionPolicy, binding and bosun Rule in the files or directories;
      print each problem as file:line: message. Exit 0 when all compile, 2 otherwise.
  bosun policy test PATH...
      Run the bosun.dev/v1 PolicyTest files (policies, resources, expected pass/fail per policy and
      resource). Exit 0 when every expectation holds, 1 when one does not, 2 on bad input.
`;

const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export async function runPolicy(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'eval') return evalCommand(rest);
  if (sub === 'validate') return validateCommand(rest);
  if (sub === 'test') return testCommand(rest);
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  throw new UsageError(`policy: expected "eval" or "validate"${sub === undefined ? '' : `, got "${sub}"`} (try: bosun policy --help)`);
}

async function readInput(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > MAX_INPUT_BYTES) throw new BosunError('E_INPUT', `<stdin>: input is larger than ${MAX_INPUT_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new BosunError('E_INPUT', `${path}: not a regular file`);
    if (info.size > MAX_INPUT_BYTES) throw new BosunError('E_INPUT', `${path}: input is larger than ${MAX_INPUT_BYTES} bytes`);
    return await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_INPUT_NOT_FOUND', `${path}: no such file or directory`, { cause: err });
  }
}

/** The input document: JSON keeps int/double apart; YAML as Kubernetes decodes it (core schema). */
function parseDocument(text: string, name: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return parseJsonForCel(text);
    } catch {
      /* fall through: YAML is a superset of JSON */
    }
  }
  try {
    const docs = yaml.loadAll(text, undefined, { schema: yaml.CORE_SCHEMA, json: false }).filter((d) => d !== null && d !== undefined);
    if (docs.length !== 1) throw new BosunError('E_INPUT', `${name}: expected one YAML/JSON document, found ${docs.length}`);
    return toCel(docs[0]);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    throw new BosunError('E_PARSE', `${name}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

async function evalCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { expr: { type: 'string', short: 'e' }, input: { type: 'string', short: 'i' }, var: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } });
  if (values.help === true) {
    process.stdout.write(HELP);
    return EXIT.passed;
  }
  if (values.expr === undefined || values.expr.trim() === '') throw new UsageError('policy eval: --expr EXPR is required');
  const variables: Record<string, unknown> = {};
  if (values.input !== undefined) {
    const doc = parseDocument(await readInput(values.input), values.input === '-' ? '<stdin>' : values.input);
    variables['object'] = doc;
    variables['self'] = doc;
  }
  for (const v of values.var ?? []) {
    const eq = v.indexOf('=');
    const name = eq < 0 ? '' : v.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--var: expected NAME=JSON, got "${v}"`);
    try {
      variables[name] = parseJsonForCel(v.slice(eq + 1));
    } catch {
      throw new UsageError(`--var ${name}: the value is not JSON (strings need quotes: ${name}='"text"')`);
    }
  }
  let result: unknown;
  try {
    result = compileCel(values.expr, Object.keys(variables)).evaluate(variables);
  } catch (err) {
    if (err instanceof CelError) throw new BosunError(err.code, `--expr: ${err.phase === 'compile' ? 'compile' : 'evaluation'} error: ${celErrorText(err).replace(/^compilation failed: /, '')}`);
    throw err;
  }
  await writeOutput(`${JSON.stringify(fromCel(result), null, 2)}\n`, undefined);
  return EXIT.passed;
}

async function validateCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError('policy validate: no policy file or directory given');
  const set = await loadPolicySet(positionals);
  const { errors } = evaluatePolicySet(set, [], 'default');
  for (const e of errors) process.stderr.write(`bosun: ${e.message}\n`);
  const summary = `${set.policies.length} ValidatingAdmissionPolicies, ${set.bindings.length} bindings, ${set.rules.length} rules: ${errors.length === 0 ? 'ok' : `${errors.length} problem${errors.length === 1 ? '' : 's'}`}\n`;
  await writeOutput(summary, undefined);
  return errors.length === 0 ? EXIT.passed : EXIT.badInput;
}

async function testCommand(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length === 0) throw new UsageError('policy test: no PolicyTest file or directory given');
  const report = await runPolicyTests(positionals);
  const lines = report.outcomes.map((o) => `${o.ok ? 'PASS' : 'FAIL'}  ${o.test}: ${o.expectation}${o.detail === undefined ? '' : ` (${o.detail})`}`);
  await writeOutput(`${[...lines, `${report.passed} passed, ${report.failed} failed`].join('\n')}\n`, undefined);
  for (const e of report.errors) process.stderr.write(`bosun: ${e.message}\n`);
  if (report.errors.length > 0) return EXIT.badInput;
  return report.failed > 0 ? EXIT.gateFailed : EXIT.passed;
}
