/**
 * Structural differential fuzzing of bosun's YAML reading against Kubernetes' own (sigs.k8s.io/yaml
 * over go-yaml v2, test/manifests/k8s-yaml). The scalar and merge tests in yaml-kubernetes.test.ts
 * cover what plain scalars and `<<` mean; this one covers how documents are put together: block
 * and flow collections nested in each other, compact sequences, explicit keys, every scalar style
 * (folding, escapes, chomping, indentation indicators), tags on every kind of node, anchors and
 * aliases, directives, document markers, comments, BOM, CRLF and trailing spaces.
 *
 * A document both accept but read differently is a way past the gate (bosun sees one manifest,
 * the cluster runs another): none may remain, except KNOWN ones that cannot change a finding.
 * Documents only Kubernetes accepts are refused by bosun (fail closed: the scan reports an error);
 * documents only bosun accepts would be refused by kubectl. Both are counted, not failures.
 * `FUZZ_SEED=n` runs another sequence; `FUZZ_REPORT=1` prints the counts and the refused constructs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocuments, parseDocumentsLazily } from '../../src/manifests/yaml.ts';
import { scanManifests } from '../../src/scan.ts';
import { kubernetes, skipWithoutKubernetesYaml, sortedJson } from './k8s-yaml.ts';
import { prng } from '../../bench/prng.ts';

const skip = skipWithoutKubernetesYaml;

/** Random YAML documents, built from a random tree rendered in random styles. */
class YamlGenerator {
  private readonly rnd: () => number;
  private anchors: string[] = [];
  private nextAnchor = 0;
  constructor(seed: number) {
    this.rnd = prng(seed);
  }
  private chance(p: number): boolean {
    return this.rnd() < p;
  }
  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** One document, with random wrapping: BOM, directives, markers, CRLF, trailing spaces. */
  document(): string {
    this.anchors = [];
    this.nextAnchor = 0;
    let body: string;
    const r = this.rnd();
    if (r < 0.6) body = this.blockMapping(0, 0);
    else if (r < 0.72) body = this.blockSequence(0, 0);
    else if (r < 0.84) body = this.flow(0, 0, 0, true);
    else if (r < 0.9) body = `--- ${this.props('scalar')}${this.blockScalar(-1)}`;
    else body = `${this.props('map')}\n${this.blockMapping(0, 0)}`;
    let doc = body;
    const explicit = doc.startsWith('---');
    if (!explicit && this.chance(0.3)) doc = `---${this.chance(0.3) ? ' # start' : ''}\n${doc}`;
    if (this.chance(0.12)) {
      const directive = this.pick(['%YAML 1.1', '%YAML 1.2', '%TAG ! tag:example.com,2000:', '%TAG !e! tag:example.com,2000:app/', '%TAG !! tag:yaml.org,2002:', '%FOO bar']);
      doc = `${directive}\n${doc.startsWith('---') ? '' : '---\n'}${doc}`;
    }
    if (this.chance(0.08)) doc = `# leading comment\n${doc}`;
    if (!doc.endsWith('\n')) doc += '\n';
    if (this.chance(0.08)) doc += this.pick(['...\n', '... # end\n', '---\n', '# trailing comment\n', '\n\n']);
    if (this.chance(0.08)) doc = doc.replace(/\n/g, () => (this.chance(0.3) ? ' \n' : this.chance(0.1) ? '\t\n' : '\n'));
    if (this.chance(0.1)) doc = doc.replace(/\n/g, '\r\n');
    if (this.chance(0.05)) doc = `\uFEFF${doc}`;
    return doc;
  }

  /** Anchor and/or tag before a node (with a trailing space), often none. */
  private props(kind: 'scalar' | 'map' | 'seq'): string {
    let out = '';
    if (this.chance(0.12)) {
      const name = `a${this.nextAnchor++}`;
      this.anchors.push(name);
      out += `&${name} `;
    }
    if (this.chance(kind === 'scalar' ? 0.06 : 0.12)) {
      const fitting = kind === 'map' ? ['!!map', '!<tag:yaml.org,2002:map>'] : kind === 'seq' ? ['!!seq', '!<tag:yaml.org,2002:seq>'] : ['!!str', '!!int', '!!float', '!!bool', '!!null', '!<tag:yaml.org,2002:str>', '!!timestamp', '!!binary', '!'];
      const any = ['!foo', '!!str', '!!map', '!!seq', '!!int', '!<!baz>', '!<tag:yaml.org,2002:str>', '!!python/none'];
      out += `${this.chance(0.7) ? this.pick(fitting) : this.pick(any)} `;
    }
    return this.chance(0.5) ? out.replace(/^(&\S+) (!\S+) $/, '$2 $1 ') : out;
  }

  /** A scalar with an explicit tag, mostly with a value the tag fits (`!!int "0x1F"`), or not (`!!int 1.5`). */
  private tagged(): string {
    return this.pick([
      '!!int "0x1F"', '!!int \'0755\'', '!!int 1_000', '!!int 1.5', '!!float 1', '!!float "1e3"', '!!bool "on"', '!!bool yes', '!!bool \'false\'', '!!str 0755',
      '!!str on', '!!str ~', '!!str', '!!null ~', '!!null ""', '!!null', '!!binary aGVsbG8=', '!!binary "aGVs\\nbG8="', '!!timestamp 2001-12-14', '!!timestamp "2001-12-14t21:59:43.10-05:00"',
      '!<tag:yaml.org,2002:str> on', '!<tag:yaml.org,2002:int> 7', '! 12', '!foo bar', '!!str |\n  x', '!!int >-\n  12',
    ]);
  }

  private alias(): string | undefined {
    return this.anchors.length > 0 && this.chance(0.08) ? `*${this.pick(this.anchors)}` : undefined;
  }

  private comment(): string {
    return this.chance(0.1) ? ` ${this.pick(['# c', '#', '# a: b', '# - x', '#:'])}` : '';
  }

  /** A block mapping whose entries start at column `indent`. */
  private blockMapping(indent: number, depth: number): string {
    const sp = ' '.repeat(indent);
    const keys = new Set<string>();
    const lines: string[] = [];
    const n = 1 + this.int(depth > 2 ? 2 : 4);
    for (let i = 0; i < n; i++) {
      if (this.chance(0.06)) lines.push(`${' '.repeat(this.int(indent + 3))}${this.pick(['# comment', '#', '# - a: b'])}`);
      if (this.chance(0.05)) lines.push('');
      if (this.chance(0.04) && !keys.has('<<')) {
        // a merge key (yaml-kubernetes.test.ts fuzzes merges alone; here among everything else)
        keys.add('<<');
        lines.push(`${sp}<<: ${this.alias() ?? this.pick(['{a: 1, privileged: true}', '[{a: 1}, {a: 2, b: 3}]', '{}'])}`);
        continue;
      }
      const key = this.key(keys);
      if (key === undefined) {
        // an explicit key: `? key` then `: value` (the value may be missing)
        const k = this.chance(0.2) && depth < 3 ? `\n${this.blockSequence(indent + 2, depth + 1)}` : ` ${this.flowScalar(indent, true)}`;
        keys.add(k);
        lines.push(`${sp}?${k}`);
        if (this.chance(0.85)) lines.push(`${sp}:${this.blockValue(indent, depth + 1, true)}`);
        continue;
      }
      lines.push(`${sp}${key}${this.chance(0.05) ? ' ' : ''}:${this.blockValue(indent, depth + 1, true)}`);
    }
    return lines.join('\n');
  }

  /** A block sequence whose dashes are at column `indent`. */
  private blockSequence(indent: number, depth: number): string {
    const sp = ' '.repeat(indent);
    const lines: string[] = [];
    const n = 1 + this.int(depth > 2 ? 2 : 4);
    for (let i = 0; i < n; i++) {
      if (this.chance(0.05)) lines.push(`${sp}# comment`);
      const r = this.rnd();
      if (depth < 4 && r < 0.2) {
        // a mapping with its first key on the dash line
        lines.push(`${sp}- ${this.blockMapping(indent + 2, depth + 1).slice(indent + 2)}`);
      } else if (depth < 4 && r < 0.3) {
        // a compact sequence: `- - a`
        lines.push(`${sp}- ${this.blockSequence(indent + 2, depth + 1).slice(indent + 2)}`);
      } else lines.push(`${sp}-${this.blockValue(indent, depth + 1, false)}`);
    }
    return lines.join('\n');
  }

  /**
   * What follows `key:` or `-` of a block collection at column `indent`: a scalar in any style, an
   * alias, nothing, a flow collection, or a block collection on the next lines.
   */
  private blockValue(indent: number, depth: number, inMapping: boolean): string {
    const alias = this.alias();
    if (alias !== undefined) return ` ${alias}${this.comment()}`;
    const r = this.rnd();
    if (r < 0.07) return this.comment(); // empty: null
    if (depth < 5 && r < 0.27) {
      const props = this.props('map');
      const child = inMapping && this.chance(0.1) ? indent + 1 : indent + 2;
      return `${props === '' ? '' : ` ${props.trimEnd()}`}${this.comment()}\n${this.blockMapping(child, depth)}`;
    }
    if (depth < 5 && r < 0.42) {
      const props = this.props('seq');
      // under a key the dashes may stay at the key's column
      const child = inMapping && this.chance(0.4) ? indent : indent + 2;
      return `${props === '' ? '' : ` ${props.trimEnd()}`}${this.comment()}\n${this.blockSequence(child, depth)}`;
    }
    if (depth < 5 && r < 0.55) return ` ${this.flow(indent, depth, 0, false)}${this.comment()}`;
    if (r < 0.62) return ` ${this.props('scalar')}${this.blockScalar(indent)}`;
    if (r < 0.7) return ` ${this.tagged().replace(/\n/, `\n${' '.repeat(indent)}`)}${this.comment()}`;
    return ` ${this.props('scalar')}${this.flowScalar(indent, false)}${this.comment()}`;
  }

  /** A key, or undefined for an explicit `? key` entry. Never the same text twice in one mapping. */
  private key(used: Set<string>): string | undefined {
    for (let tries = 0; tries < 5; tries++) {
      const r = this.rnd();
      let k: string;
      if (r < 0.06) return undefined;
      if (r < 0.55) k = this.pick(['a', 'b', 'name', 'image', 'privileged', 'x y', 'a-b', 'a.b', 'k8s.io/x', 'a_b', 'é', 'a#b', 'a:b', '-a', 'true_', 'nul']);
      else if (r < 0.7) k = `"${this.pick(['a', 'b', 'privileged', '1', 'true', 'on', '', 'a\\tb', '\\x41', 'null', ' a'])}"`;
      else if (r < 0.8) k = `'${this.pick(['a', 'b', 'privileged', '1', 'yes', "it''s", ''])}'`;
      else if (r < 0.9) k = this.pick(['1', '0', '007', '0755', '0x1F', '1.5', '1e3', '-1', '1_000', '0.1', '2.50', '1e-7', '123456789.5', '3.0']);
      else k = this.pick(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'True', '~', 'null']);
      if (this.chance(0.08)) {
        const name = `a${this.nextAnchor++}`;
        this.anchors.push(name);
        k = `&${name} ${k}`;
      } else if (this.chance(0.05)) k = `${this.pick(['!!str', '!!int', '!!bool', '!foo'])} ${k}`;
      else if (this.chance(0.03) && this.anchors.length > 0) k = `*${this.pick(this.anchors)} `; // alias as key: `*a : v`
      if (!used.has(k)) {
        used.add(k);
        return k;
      }
    }
    return 'z';
  }

  /**
   * A plain, single- or double-quoted scalar written inline, possibly over several lines (continued
   * on lines indented past `indent`). In a flow collection (`flowContext`) plain scalars avoid `,[]{}`.
   */
  private flowScalar(indent: number, flowContext: boolean): string {
    const cont = `\n${' '.repeat(indent + 1 + this.int(3))}`;
    const r = this.rnd();
    if (r < 0.45) {
      const words = ['a', 'b c', 'on', 'yes', 'No', '0755', '0x1F', '1.5', '1e3', '-1', '~', 'null', '2001-12-14', '12:30', 'true', 'x-y', 'a.b', 'a\tb', 'é', '.5', '+1', '1_000', '-x', 'a#b', 'a:b', 'http://x/y', 'a- b', 'a ? b', 'a! b', 'a&b', 'a*b', 'a|b', "a'b", 'a"b', 'a% b'];
      let s = this.pick(words);
      if (this.chance(0.2)) s += `${this.chance(0.5) ? cont : `\n${cont}`}${this.pick(words)}`;
      return s;
    }
    if (r < 0.7) {
      const parts = ['a', "it''s", ' lead', 'trail ', 'x\ty', '#', ': ', '\\n', '"', ''];
      let s = this.pick(parts);
      if (this.chance(0.3)) s += `${this.pick([cont, `\n${cont}`, ` ${cont}`, `${cont}  `])}${this.pick(parts)}`;
      return `'${s}'`;
    }
    const escapes = ['\\x41', '\\u0041', '\\U00000041', this.chance(0.3) ? '\\/' : '/', '\\N', '\\_', '\\L', '\\P', '\\0', '\\t', '\\ ', '\\"', '\\\\', '\\a', '\\b', '\\e', '\\f', '\\v', '\\r', '\\n', '\\\t', '\\xe9', '\\u00e9', '\\U0001F600', 'a', ' b ', "'", '#', 'x\ty'];
    let s = '';
    const n = 1 + this.int(3);
    for (let i = 0; i < n; i++) {
      s += this.pick(escapes);
      if (this.chance(0.15)) s += this.pick([cont, `\\${cont}`, `\\${cont} `, ` \\${cont}`, `\n${cont}`, `  ${cont}  `, `\\${cont}\\ `]);
    }
    return flowContext || this.chance(0.9) ? `"${s}"` : `"${s}"`;
  }

  /** A literal or folded block scalar after `key: ` at column `indent` (-1 at the document's top). */
  private blockScalar(indent: number): string {
    const style = this.pick(['|', '>']);
    const chomp = this.pick(['', '', '-', '+']);
    const step = 1 + this.int(3);
    const base = Math.max(indent, 0) + step;
    const indicator = this.chance(0.3) ? String(indent < 0 || this.chance(0.9) ? step : 1 + this.int(3)) : '';
    const header = this.chance(0.5) ? `${style}${indicator}${chomp}` : `${style}${chomp}${indicator}`;
    const lines: string[] = [];
    const n = 1 + this.int(5);
    const sp = ' '.repeat(base);
    for (let i = 0; i < n; i++) {
      const r = this.rnd();
      if (r < 0.15) lines.push('');
      else if (r < 0.25) lines.push(`${sp}${' '.repeat(1 + this.int(3))}more indented`);
      else if (r < 0.27) lines.push(`${sp}\tafter a tab`);
      else if (r < 0.35) lines.push(' '.repeat(this.int(base + 1)));
      else lines.push(`${sp}${this.pick(['text', 'a b', 'x\ty', '# not a comment', 'key: value', '- item', "'q'", 'on', '  two spaces', '\\n'])}`);
    }
    // first line more indented than the rest needs the indicator (else it sets the indentation)
    if (indicator === '' && lines[0] !== undefined && /^ +\S/.test(lines[0]) && lines[0].search(/\S/) > base) lines[0] = `${sp}first`;
    const trailing = this.chance(0.3) ? this.pick(['\n', '\n\n', `\n${sp}`, `\n  \n`]) : '';
    return `${header}${this.comment()}\n${lines.join('\n')}${trailing}`;
  }

  /** A flow collection; its continuation lines are indented past `indent`. */
  private flow(indent: number, depth: number, flowDepth: number, top: boolean): string {
    const sep = (): string => (this.chance(0.15) ? `${this.chance(0.2) ? ' # c' : ''}\n${' '.repeat(indent + 1 + this.int(2))}` : ' ');
    const node = (): string => {
      const alias = this.alias();
      if (alias !== undefined) return alias;
      if (flowDepth < 3 && depth < 5 && this.chance(0.25)) return this.flow(indent, depth + 1, flowDepth + 1, false);
      if (this.chance(0.05)) return this.props('scalar').trimEnd() || '""';
      if (this.chance(0.06)) return this.tagged().replace(/ [|>].*/s, ' x');
      return `${this.props('scalar')}${this.flowScalar(indent, true)}`;
    };
    const n = this.int(4);
    const items: string[] = [];
    const isMap = this.chance(0.5);
    const keys = new Set<string>();
    for (let i = 0; i < n; i++) {
      if (isMap) {
        const r = this.rnd();
        let k = this.key(keys) ?? '? k';
        k = k.replace(/[,[\]{}]/g, '');
        if (k === '' || keys.has(`=${k}`)) continue;
        keys.add(`=${k}`);
        if (r < 0.1) items.push(k); // a key without a value
        else if (r < 0.15) items.push(`${k}:`);
        else items.push(`${k}:${sep()}${node()}`);
      } else {
        const r = this.rnd();
        if (r < 0.08) items.push(`${this.flowScalar(indent, true).replace(/[,[\]{}:#]/g, '')}: ${node()}`); // a single-pair mapping
        else if (r < 0.1) items.push(`? ${node()}`);
        else items.push(node());
      }
    }
    const trailingComma = items.length > 0 && this.chance(0.1) ? ',' : '';
    const body = items.join(`,${sep()}`) + trailingComma;
    const props = top ? '' : this.props(isMap ? 'map' : 'seq');
    return isMap ? `${props}{${body}}` : `${props}[${body}]`;
  }
}

/**
 * Differences that cannot change a finding, with why; the name of the one `doc` shows, or undefined.
 * - A document that is one scalar (`--- |2` …): no manifest, the loader skips it (kubectl refuses
 *   it), so how its text is read does not matter. (js-yaml counts a top-level block scalar's
 *   indentation indicator from column -1, as the YAML spec says; go-yaml from column 0.)
 * - A key that is a non-integer number (`1e-7:`, `123456789.5:`): Go prints it as a float32
 *   (`1e-07`, `1.2345679e+08`), bosun as JavaScript does. No Kubernetes field name is a number;
 *   only free-form maps (labels, annotations, data) could hold one, and no check reads a number key.
 */
function knownDifference(bosun: string, k8s: string): string | undefined {
  if (bosun.startsWith('"') && k8s.startsWith('"')) return 'a document that is one scalar';
  if (sortedJson(goFloatKeys(JSON.parse(bosun))) === sortedJson(goFloatKeys(JSON.parse(k8s)))) return 'a key that is a non-integer number';
  return undefined;
}

/** `value` with keys that read as non-integer numbers written as Go writes float keys (FormatFloat(f, 'g', -1, 32)). */
function goFloatKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(goFloatKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      const n = Number(k);
      return [k.trim() !== '' && String(n) === k && !Number.isInteger(n) ? goFloat32(n) : k, goFloatKeys(v)];
    }),
  );
}

function goFloat32(n: number): string {
  const f = Math.fround(n);
  let p = 1;
  while (p < 9 && Math.fround(Number(f.toPrecision(p))) !== f) p++;
  const [mantissa, e] = f.toExponential(p - 1).split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(Number(f.toPrecision(p)));
}

interface Outcome {
  both: number;
  holes: string[];
  known: Map<string, number>;
  refusedByBosun: Map<string, number>;
  refusedByKubernetes: number;
  refusedByBoth: number;
  lazyDiffers: string[];
}

function bosunRead(doc: string, lazy: boolean): { value?: string; error?: string } {
  try {
    const docs = lazy ? parseDocumentsLazily(doc) : parseDocuments(doc);
    return { value: sortedJson(docs[0]?.value ?? null) };
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]!.replace(/ \(\d+:\d+\)$/, '') };
  }
}

function compare(docs: string[]): Outcome {
  const want = kubernetes(docs);
  const out: Outcome = { both: 0, holes: [], known: new Map(), refusedByBosun: new Map(), refusedByKubernetes: 0, refusedByBoth: 0, lazyDiffers: [] };
  docs.forEach((doc, i) => {
    const got = bosunRead(doc, false);
    const lazy = bosunRead(doc, true);
    if (got.value !== lazy.value || got.error !== lazy.error) out.lazyDiffers.push(`${JSON.stringify(doc)}: recorded ${got.value ?? got.error}, lazy ${lazy.value ?? lazy.error}`);
    const k8s = want[i] === undefined ? undefined : sortedJson(want[i]);
    if (got.error !== undefined) {
      if (k8s === undefined) out.refusedByBoth++;
      else out.refusedByBosun.set(got.error, (out.refusedByBosun.get(got.error) ?? 0) + 1);
      return;
    }
    if (k8s === undefined) {
      out.refusedByKubernetes++;
      return;
    }
    out.both++;
    if (got.value === k8s) return;
    const known = knownDifference(got.value!, k8s);
    if (known !== undefined) out.known.set(known, (out.known.get(known) ?? 0) + 1);
    else out.holes.push(`${JSON.stringify(doc)}\n  bosun:      ${got.value}\n  Kubernetes: ${k8s}`);
  });
  return out;
}

const DOCUMENTS = 4000;

test('random document structures read as Kubernetes reads them', { skip }, () => {
  const gen = new YamlGenerator(Number(process.env['FUZZ_SEED'] ?? 20261129) + 2);
  const docs = Array.from({ length: DOCUMENTS }, () => gen.document());
  const out = compare(docs);
  if (process.env['FUZZ_REPORT'] === '1') {
    const byCount = (m: Map<string, number>): string[] => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${String(n).padStart(5)}  ${k}`);
    console.log(`both accept ${out.both} (differ ${out.holes.length}, known ${[...out.known.values()].reduce((a, b) => a + b, 0)}), only Kubernetes accepts ${[...out.refusedByBosun.values()].reduce((a, b) => a + b, 0)}, only bosun accepts ${out.refusedByKubernetes}, both refuse ${out.refusedByBoth}`);
    console.log(['bosun refuses:', ...byCount(out.refusedByBosun), 'known differences:', ...byCount(out.known)].join('\n'));
  }
  assert.deepEqual(out.lazyDiffers.slice(0, 5), [], 'the lazy parse reads what the recording parse reads');
  assert.deepEqual(out.holes.slice(0, 8), [], `${out.holes.length} documents read differently by bosun and Kubernetes`);
  assert.ok(out.both >= DOCUMENTS / 4, `only ${out.both} documents accepted by both`);
});

/**
 * The holes the fuzzer found, as documents Kubernetes reads otherwise than js-yaml did: bosun now
 * refuses them (the scan reports a parse error naming file:line and fails), never misreads them.
 */
test('documents js-yaml nested or split otherwise than Kubernetes are refused', () => {
  const refused = [
    // an empty item, then an item of the outer sequence: js-yaml put `y` in the inner sequence
    '- - x\n  -\n- y\n',
    // `{a:}` is {"a:": null} to Kubernetes, `[a:]` is ["a:"], `{a :}` is {"a :": null}
    '{a:}\n', '[a:]\n', '{a :, b: 1}\n',
    // an anchor after a line ending in a tag: js-yaml anchored the empty tagged node
    'a: !!str\n&x b: 1\nc: *x\n',
  ];
  for (const doc of refused) assert.throws(() => parseDocuments(doc), /Kubernetes/, doc);
  // what stays as it was
  // (and a Markdown list in a block scalar that looks like the empty-item construct, but holds no null item)
  for (const [doc, want] of [['{"a":, \'b\':}\n', { a: null, b: null }], ['a:\n  -\n  -\nb: [x]\n', { a: [null, null], b: ['x'] }], ['a: !!str\n  x\n', { a: 'x' }], ['---\n- a\n---\n', ['a']], ['notes: |\n  - item\n    -\n  - other\n', { notes: '- item\n  -\n- other\n' }]] as const) {
    assert.deepEqual(parseDocuments(doc)[0]!.value, want);
  }
});

test('a privileged container written after an empty volume mount item is not hidden: the document is refused', async () => {
  const content = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: default}
spec:
  containers:
  - name: a
    image: nginx
    volumeMounts:
      -
  - name: evil
    image: nginx
    securityContext: {privileged: true}
`;
  const report = await scanManifests([{ name: 'pod.yaml', content }], { config: false });
  assert.equal(report.errors.length, 1);
  assert.match(report.errors[0]!.message, /^pod\.yaml:9:7: an empty sequence item/);
});
