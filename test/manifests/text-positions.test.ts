/**
 * Positions read from the text on demand (text-positions.ts) must equal the positions recorded
 * by a full parse, on every node of every resource; and the reader must actually serve the
 * usual layouts (block YAML, flow YAML, kubectl JSON) without falling back to a second parse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import jsyaml from 'js-yaml';
import { listManifestFiles, loadManifests } from '../../src/manifests/load.ts';
import { Locator } from '../../src/manifests/resource.ts';
import { reparseWithRecords, type SourceDoc } from '../../src/manifests/yaml.ts';
import type { Path } from '../../src/manifests/path.ts';
import type { Resource } from '../../src/manifests/resource.ts';
import { prng } from '../../bench/prng.ts';

const PSS = new URL('../../../shared/testdata/pss/', import.meta.url).pathname;

/** Every path to every node, plus a missing key below every collection. */
function allPaths(value: unknown, base: Path = [], out: Path[] = []): Path[] {
  out.push(base);
  if (value !== null && typeof value === 'object') {
    const keys: Array<string | number> = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
    for (const k of keys) allPaths((value as Record<string | number, unknown>)[k], [...base, k], out);
    out.push([...base, 'no-such-key']);
  }
  return out;
}

interface Compared {
  paths: number;
  fallbacks: number;
}

/** Compares text positions with recorded ones on every path; counts documents that needed the fallback. */
function compare(resources: Resource[], label: string, seen = new Set<unknown>()): Compared {
  let paths = 0;
  let fallbacks = 0;
  const parses = new Map<unknown, Map<number, SourceDoc[]>>();
  for (const r of resources) {
    let cache = parses.get(r.source);
    if (cache === undefined) parses.set(r.source, (cache = new Map()));
    const recorded = reparseWithRecords(r.source.text, r.doc, cache);
    assert.ok(recorded?.records !== undefined, `${label}: ${r.kind}/${r.name} parsed again with records`);
    const text = new Locator(r);
    const records = new Locator({ ...r, doc: recorded });
    for (const path of allPaths(r.object)) {
      text.go(path);
      records.go(path);
      assert.deepEqual(text.location(), records.location(), `${label}: ${r.kind}/${r.name} ${path.join('.')}`);
      paths++;
    }
    if (r.doc.records !== undefined && !seen.has(r.doc)) {
      seen.add(r.doc);
      fallbacks++;
    }
  }
  return { paths, fallbacks };
}

async function load(name: string, content: string): Promise<Resource[]> {
  const { resources, errors } = await loadManifests([{ name, content }]);
  assert.deepEqual(errors, [], name);
  return resources;
}

/** The same objects written the ways tools write them. */
function layouts(obj: unknown, i: number): Array<[string, string]> {
  return [
    ['json-indented.json', JSON.stringify(obj, null, 2)],
    ['json-compact.json', JSON.stringify(obj)],
    ['flow-nested.yaml', jsyaml.dump(obj, { flowLevel: 2 })],
    ['flow-all.yaml', jsyaml.dump(obj, { flowLevel: 0 })],
    ['compact-seq.yaml', jsyaml.dump(obj, { noArrayIndent: true, quotingType: '"', forceQuotes: i % 2 === 0 })],
    ['spaced.yaml', `# lead comment\n---\n${jsyaml.dump(obj, { indent: 4 }).replace(/\n/g, '\n\n')}...\n`],
    ['crlf.yaml', jsyaml.dump(obj).replace(/\n/g, '\r\n')],
  ];
}

test('text positions equal recorded positions on every node of the examples and the PSS fixtures, in seven layouts', async () => {
  const files = [...(await listManifestFiles('examples')), ...(await listManifestFiles(PSS)).filter((_, i) => i % 12 === 0)];
  let paths = 0;
  let fallbacks = 0;
  let objects = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const original = compare(await load(file, text), file);
    paths += original.paths;
    fallbacks += original.fallbacks;
    for (const doc of jsyaml.loadAll(text)) {
      if (doc === null || typeof doc !== 'object') continue;
      objects++;
      for (const [layout, content] of layouts(doc, objects)) {
        const c = compare(await load(`${file}#${objects}/${layout}`, content), `${file}#${objects}/${layout}`);
        paths += c.paths;
        fallbacks += c.fallbacks;
      }
    }
  }
  assert.ok(objects > 300 && paths > 50_000, `compared ${paths} paths of ${objects} objects`);
  assert.equal(fallbacks, 0, 'the usual layouts are read from the text, without a second parse');
});

test('a kubectl List: every item located from the text, the List read once', async () => {
  const items = Array.from({ length: 300 }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, labels: { app: `a${i}` } }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: i % 2 === 0 } }] } }));
  for (const [layout, content] of [['json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2)], ['yaml', jsyaml.dump({ apiVersion: 'v1', kind: 'List', items })]] as const) {
    const resources = await load(`list.${layout}`, content);
    assert.equal(resources.length, 300);
    const c = compare(resources, `list.${layout}`);
    assert.equal(c.fallbacks, 0);
    const locator = new Locator(resources[299]!);
    locator.go(['spec', 'containers', 0, 'securityContext', 'privileged']);
    const line = content.split('\n').findIndex((l, n) => n + 1 >= locator.location().line && l.includes('privileged'));
    assert.equal(locator.location().line, line + 1, layout);
  }
});

/** Layouts the reader leaves to the parser: they must still locate exactly as recorded. */
const UNUSUAL = `apiVersion: v1
kind: ConfigMap
metadata:
  name: odd
  labels: &labels { app: x, tier: web }
  annotations:
    ? complex
    : key
    "esc\\u0041ped": yes
    'it''s': quoted
data:
  merged:
    <<: { a: 1 }
    b: 2
  alias: *labels
  80: numeric
  tagged: !!map
    inner: 1
  anchored: &anc
    deep: { x: [1, 2, { y: 3 }] }
  multi: "folded
    over lines"
  block: |
    - not: a key
    text
  empty:
    -
    - x
  nested:
    - - a
      - b
    -
      k: v
  flow-multiline: [
      1, 2,
      { z: 1 }
    ]
`;

test('aliases, merge keys, complex keys, tags, escapes and odd layouts locate exactly as recorded', async () => {
  const resources = await load('odd.yaml', UNUSUAL);
  assert.equal(resources.length, 1);
  const c = compare(resources, 'odd.yaml');
  assert.ok(c.paths > 60);
  assert.equal(c.fallbacks, 1, 'the complex key and the merge key send the document to the recorded positions');
  const locator = new Locator(resources[0]!);
  locator.go(['data', 'nested', 1, 'k']);
  assert.deepEqual(locator.location(), { file: 'odd.yaml', line: 33, column: 7 });
});

test('large mappings (looked up through an index) locate like small ones', async () => {
  const data = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`KEY_${(i * 7) % 40}`, `v${i}`]));
  for (const [name, content] of [['big.yaml', jsyaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data })], ['big.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data }, null, 1)]] as const) {
    const resources = await load(name, content);
    const c = compare(resources, name);
    assert.equal(c.fallbacks, 0);
    assert.ok(c.paths > 40);
  }
});

test('a tab after the indentation (inside a block scalar) sends the document to the recorded positions', async () => {
  const resources = await load('tab.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  script: |\n    run\n    \tindented with a tab\n  other: x\n');
  const c = compare(resources, 'tab.yaml');
  assert.equal(c.fallbacks, 1);
  const locator = new Locator(resources[0]!);
  locator.go(['data', 'other']);
  assert.deepEqual(locator.location(), { file: 'tab.yaml', line: 9, column: 3 });
});

test('a document the reader can follow stays on the text path next to one it cannot', async () => {
  const resources = await load('two.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata:\n  x: "1"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\ndata:\n  <<: { y: "2" }\n`);
  const c = compare(resources, 'two.yaml');
  assert.equal(c.fallbacks, 1);
  assert.equal(resources[0]!.doc.records, undefined, 'the first document was never parsed again');
});

/**
 * Hand-written YAML in random layouts (not a dumper's: comments between and after entries, blank
 * lines, odd indentation steps, compact sequences, multi-line and block scalars, quoted and
 * numeric keys, flow collections across lines, anchors, tags, document markers). Whatever the
 * reader serves from the text must equal the recorded positions; what it cannot vouch for must
 * fall back, never locate wrongly.
 */
function fuzzDocument(rnd: () => number, n: number, written: Map<string, string>): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let keys = 0;
  let anchors = 0;
  // Every key is unique in its file; `written` maps the parsed key to the text written for it.
  const key = (): string => {
    const k = `k${n}_${keys++}`;
    const [token, parsed] = pick<[string, string]>([[k, k], [k, k], [k, k], [`"${k}"`, k], [`'${k}'`, k], [`"${k}: x"`, `${k}: x`], [`${k}.a/b-c`, `${k}.a/b-c`], [String(n * 1000 + keys), String(n * 1000 + keys)], [`"${k}\\u00e9"`, `${k}é`], [`${k}#h`, `${k}#h`]]);
    written.set(parsed, token);
    return token;
  };
  const comment = (): string => (rnd() < 0.15 ? `  # note ${pick(['a: b', '- x', '{', ''])}` : rnd() < 0.05 ? ' #' : '');
  const spacer = (ind: string): string => (rnd() < 0.1 ? '\n' : rnd() < 0.1 ? `\n${pick(['', ind, `${ind}   `])}# ${pick(['comment', 'k: v', '- item'])}` : '');
  const scalar = (): string =>
    pick([
      'nginx', 'a b c', '42', '-1.5', 'true', 'null', '~', '"quoted \\"x\\" \\t é"', "'it''s'", 'http://h:80/p?q=1', 'a#b', '!!str 12',
      '"\\u00e9\\n"', '0x1F', '.inf', '"{not: flow}"', "'[x]'", 'value with  spaces', '"a: b"', '2024-01-02',
    ]);
  const flowScalar = (): string => pick(['x', '1', 'true', '"q,}]"', "'s'", 'a b', 'null', '"é"', '-2']);
  const gap = (): string => pick(['', ' ', '  ', '\n   ', ' \n    ']);
  const flow = (depth: number): string => {
    if (depth > 4 || rnd() < 0.3) return flowScalar();
    if (rnd() < 0.5) {
      const items = Array.from({ length: Math.floor(rnd() * 4) }, () => flow(depth + 1));
      return `[${gap()}${items.join(`,${gap()}`)}${items.length > 0 && rnd() < 0.2 ? ',' : ''}${gap()}]`;
    }
    const entries = Array.from({ length: Math.floor(rnd() * 4) }, () => `${key()}:${pick([' ', '  ', '\n    '])}${flow(depth + 1)}`);
    return `{${gap()}${entries.join(`,${gap()}`)}${gap()}}`;
  };
  const blockScalar = (ind: string): string => {
    const head = pick(['|', '>', '|-', '>+', '|2', '>-']);
    const body = pick([['line one', 'line two'], ['- not: a key', '  indented more'], ['# not a comment', '', 'after blank'], ['k: v']]);
    const bodyInd = head.endsWith('2') ? `${ind}  ` : `${ind}${pick(['  ', '    ', ' '])}`;
    return `${head}\n${body.map((l) => (l === '' ? '' : bodyInd + l)).join('\n')}`;
  };
  const value = (ind: string, depth: number): string => {
    const step = pick([' ', '  ', '  ', '    ']);
    const r = rnd();
    if (depth > 5 || r < 0.3) return `${pick([' ', '  '])}${rnd() < 0.05 ? `&a${anchors++} ` : ''}${scalar()}${comment()}`;
    if (r < 0.45) return `${comment()}\n${mapping(ind + step, depth + 1)}`;
    if (r < 0.6) return `${comment()}\n${sequence(rnd() < 0.4 ? ind : ind + step, depth + 1)}`;
    if (r < 0.72) return ` ${flow(depth)}${comment()}`;
    if (r < 0.8) return ` ${blockScalar(ind)}`;
    if (r < 0.85) return ` plain start\n${ind}${step}continued line`;
    if (r < 0.88) return ` "double\n${ind}${step}folded"`;
    if (r < 0.9) return anchors > 0 ? ` *a${Math.floor(rnd() * anchors)}` : '';
    if (r < 0.92) return ` !!map\n${mapping(ind + step, depth + 1)}`;
    return comment();
  };
  const mapping = (ind: string, depth: number): string => {
    const count = 1 + Math.floor(rnd() * 4);
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      if (rnd() < 0.02) lines.push(`${ind}?${pick([' ', '   ', ' # c\n' + ind + '  '])}${key()}\n${ind}: ${scalar()}`);
      else lines.push(`${ind}${key()}${rnd() < 0.05 ? ' ' : ''}:${rnd() < 0.03 ? '\t' : ''}${value(ind, depth)}${rnd() < 0.05 ? '  ' : ''}${spacer(ind)}`);
    }
    return lines.join('\n');
  };
  const sequence = (ind: string, depth: number): string => {
    const count = 1 + Math.floor(rnd() * 3);
    const items: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = rnd();
      if (depth > 5 || r < 0.3) items.push(`${ind}- ${scalar()}${comment()}`);
      else if (r < 0.55) {
        // a compact mapping: the first key on the dash line, the rest aligned under it
        const inner = mapping(`${ind}  `, depth + 1).replace(/^ +/, '');
        items.push(`${ind}- ${inner}`);
      } else if (r < 0.7) items.push(`${ind}-${comment()}\n${mapping(`${ind}${pick(['  ', '    '])}`, depth + 1)}`);
      else if (r < 0.8) items.push(`${ind}- ${sequence(`${ind}  `, depth + 1).replace(/^ +/, '')}`);
      else if (r < 0.9) items.push(`${ind}- ${flow(depth)}`);
      else items.push(`${ind}-`);
      if (rnd() < 0.1) items.push(`${ind}# between items`);
    }
    return items.join('\n');
  };
  const head = pick(['', '---\n', '# leading comment\n---\n', '--- # marker comment\n']);
  const meta = pick([`metadata: {name: f${n}}`, `metadata:\n  name: f${n}`, `metadata:\n    name: "f${n}"\n    labels: {a: b}`]);
  return `${head}apiVersion: example.com/v1\nkind: Fuzz\n${meta}\nspec:${comment()}\n${mapping(pick(['  ', '    ', ' ']), 1)}\n${rnd() < 0.2 ? '...\n' : ''}`;
}

// FUZZ_SEED=n runs another sequence (the default one is what CI runs).
test('random hand-written YAML: every location read from the text equals the recorded one, and every key is found where it was written', async () => {
  const rnd = prng(Number(process.env["FUZZ_SEED"] ?? 20261129));
  let paths = 0;
  let fallbacks = 0;
  let documents = 0;
  let rejected = 0;
  let keysChecked = 0;
  let listItems = 0;
  for (let file = 0; file < 1500; file++) {
    const written = new Map<string, string>();
    const docs = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => fuzzDocument(rnd, file * 10 + i, written));
    const joined = file % 5 === 2 ? asList(docs, file % 3 === 0 ? '  ' : '') : docs.map((d, i) => (i > 0 && !d.startsWith('---') ? `---\n${d}` : d)).join('');
    const content = file % 7 === 3 ? joined.replace(/\n/g, '\r\n') : file % 11 === 5 ? `\uFEFF${joined}` : joined;
    const { resources, errors } = await loadManifests([{ name: `fuzz-${file}.yaml`, content }]);
    rejected += errors.length;
    documents += resources.length;
    listItems += resources.filter((r) => r.basePath.length > 0).length;
    const c = compare(resources, `fuzz-${file}.yaml\n${content}\n`);
    keysChecked += checkKeysAgainstText(resources, written, content, `fuzz-${file}.yaml\n${content}\n`);
    paths += c.paths;
    fallbacks += c.fallbacks;
  }
  // the generator must mostly write valid YAML the reader serves, or this test proves little
  assert.ok(documents > 2500 && paths > 60_000, `${documents} documents, ${paths} paths, ${rejected} rejected`);
  assert.ok(listItems > 300, `${listItems} List items`);
  assert.ok(keysChecked > 20_000, `${keysChecked} keys checked against the text`);
  assert.ok(fallbacks < documents / 2, `${fallbacks} of ${documents} documents fell back (${rejected} rejected)`);
});

/** The documents as the items of one `kind: List` (indented under `items:` by `indent`, or compact). */
function asList(docs: string[], indent: string): string {
  const items = docs.map((d) => {
    const body = d.replace(/^(?:#[^\n]*\n|---[^\n]*\n)*/, '').replace(/\.\.\.\n$/, '').replace(/\n+$/, '');
    return body
      .split('\n')
      .map((line, i) => (i === 0 ? `${indent}- ${line}` : line === '' ? '' : `${indent}  ${line}`))
      .join('\n');
  });
  return `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
}

/**
 * An oracle independent of the parser: each generated key is written once, so its location is
 * where its text is (for `? key`, the key's, not the `?`'s). Keys reached through an alias are
 * located at the anchor's text, which is the same place.
 */
function checkKeysAgainstText(resources: Resource[], written: Map<string, string>, content: string, label: string): number {
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const where = (offset: number): { line: number; column: number } => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return { line: line + 1, column: offset - lineStarts[line]! + 1 };
  };
  let checked = 0;
  for (const r of resources) {
    const locator = new Locator(r);
    const visit = (value: unknown, path: Path, depth: number): void => {
      if (value === null || typeof value !== 'object' || depth > 12) return;
      if (Array.isArray(value)) return value.forEach((v, i) => visit(v, [...path, i], depth + 1));
      for (const [k, v] of Object.entries(value)) {
        const token = written.get(k);
        if (token !== undefined) {
          const at = text.search(new RegExp(`(?<=^|[\\s{,?-])${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s*:)`, 'm'));
          assert.ok(at >= 0, `${label}: key ${token} is in the text`);
          locator.go([...path, k]);
          const { line, column } = locator.location();
          assert.deepEqual({ line, column }, where(at), `${label}: ${r.name} ${[...path, k].join('.')}`);
          checked++;
        }
        visit(v, [...path, k], depth + 1);
      }
    };
    visit(r.object, [], 0);
  }
  return checked;
}
