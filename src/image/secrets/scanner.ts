/**
 * The secret engine: one pass over a file with the keyword automaton (keywords.ts) decides which
 * rules can match at all, then only those rules' regexes run. Matches carry line and column and a
 * redacted snippet; the value itself never leaves this module (only a hash, for fingerprints).
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../core/finding.ts';
import { matchesGlob } from '../../core/glob.ts';
import type { SecretsConfig } from '../config.ts';
import { ruleAnchors } from './anchors.ts';
import { compileKeywords } from './keywords.ts';
import { BUILTIN_ALLOW_PATHS, BUILTIN_SECRET_RULES, type SecretRule } from './rules.ts';

export interface SecretMatch {
  ruleId: string;
  title: string;
  severity: Severity;
  category: string;
  line: number;
  column: number;
  /** The line with the secret masked, at most 120 characters. */
  snippet: string;
  /** SHA-256 of the secret (first 16 hex chars): stable identity without the value. */
  secretHash: string;
}

export interface SecretScanner {
  rules: readonly SecretRule[];
  allowed(path: string): boolean;
  maxFileBytes: number;
  /** A digest of the settings that shape the results (layer cache key). */
  fingerprint: string;
  scan(text: string): SecretMatch[];
}

export const DEFAULT_SECRET_MAX_BYTES = 10 * 1024 * 1024;

/**
 * A sticky attempt at one position costs about what a whole-text scan spends on this many
 * characters: with more candidates than length ÷ this, one scan is cheaper (and finds the same).
 */
export const ANCHOR_DENSITY = 32;

export function compileSecretScanner(config: SecretsConfig = {}, tuning: { anchorDensity?: number } = {}): SecretScanner {
  const density = tuning.anchorDensity ?? ANCHOR_DENSITY;
  const disabled = config.disable ?? [];
  const custom: SecretRule[] = (config.rules ?? []).map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    category: 'Custom',
    keywords: (r.keywords ?? []).map((k) => k.toLowerCase()),
    regex: new RegExp(r.regex),
    ...(new RegExp(`${r.regex}|`).exec('')!.length > 1 && { group: 1 }),
  }));
  const rules = [...BUILTIN_SECRET_RULES.filter((r) => !disabled.some((d) => matchesGlob(d, r.id))), ...custom];
  const ruleAnchorList = rules.map((r) => ruleAnchors(r.regex));
  const matcher = compileKeywords(rules.flatMap((r) => r.keywords), ruleAnchorList.flatMap((a) => (a ?? []).map((x) => x.literal)));
  const keywordIndex = new Map(matcher.keywords.map((k, i) => [k, i]));
  const anchorIndex = new Map(matcher.anchors.map((k, i) => [k, i]));
  const ruleKeywords = rules.map((r) => r.keywords.map((k) => keywordIndex.get(k)!));
  const ruleAnchorIds = ruleAnchorList.map((a) => a?.map((x) => ({ id: anchorIndex.get(x.literal)!, back: x.back })));
  const allow = [...BUILTIN_ALLOW_PATHS, ...(config.allowPaths ?? []).map((p) => new RegExp(p))];
  return {
    rules,
    maxFileBytes: config.maxFileBytes ?? DEFAULT_SECRET_MAX_BYTES,
    fingerprint: createHash('sha256').update(JSON.stringify([config.disable ?? [], config.rules ?? [], config.allowPaths ?? [], config.maxFileBytes ?? null])).digest('hex').slice(0, 16),
    allowed: (path) => allow.some((re) => re.test(path)),
    scan(text) {
      const { seen, starts } = matcher.find(text);
      const out: SecretMatch[] = [];
      rules.forEach((rule, i) => {
        if (rule.keywords.length > 0 && !ruleKeywords[i]!.some((k) => seen.has(k))) return;
        const anchors = ruleAnchorIds[i];
        out.push(...runRule(rule, text, anchors === undefined ? undefined : candidateStarts(anchors.map((a) => ({ at: starts[a.id], back: a.back })), text.length, density)));
      });
      out.sort((a, b) => a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1));
      return out;
    },
  };
}

/**
 * Where the rule's matches can start: up to `back` characters before each anchor occurrence,
 * ascending, without duplicates. Undefined (scan everything) when an anchor overflowed its list
 * or the candidates are dense enough that one scan is cheaper.
 */
function candidateStarts(anchors: { at: number[] | undefined; back: number }[], length: number, density: number): Float64Array | undefined {
  let total = 0;
  for (const a of anchors) {
    if (a.at === undefined) return undefined;
    total += a.at.length * (a.back + 1);
  }
  if (total > length || total * density > length) return undefined;
  // One anchor at offset 0: its occurrences are already in order.
  if (anchors.length === 1 && anchors[0]!.back === 0) return Float64Array.from(anchors[0]!.at!);
  const all = new Float64Array(total);
  let k = 0;
  for (const a of anchors) for (const q of a.at!) for (let b = a.back; b >= 0; b--) all[k++] = Math.max(0, q - b);
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (n === 0 || all[i] !== all[n - 1]) all[n++] = all[i]!;
  return all.subarray(0, n);
}

/**
 * The rule's matches in text order, as a global search finds them. With `starts` (anchors.ts),
 * the regex is tried sticky at those offsets only: the same matches, since a match can start
 * nowhere else.
 */
function* ruleMatches(rule: SecretRule, text: string, starts: Float64Array | undefined): Generator<RegExpExecArray> {
  const flags = rule.regex.flags.replace(/[gy]/g, '');
  if (starts === undefined) {
    const re = new RegExp(rule.regex.source, `${flags}g`);
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      else yield m;
    }
    return;
  }
  const re = new RegExp(rule.regex.source, `${flags}y`);
  let from = 0;
  for (const p of starts) {
    if (p < from) continue;
    re.lastIndex = p;
    const m = re.exec(text);
    if (m === null) continue;
    from = p + Math.max(m[0].length, 1);
    if (m[0].length > 0) yield m;
  }
}

function runRule(rule: SecretRule, text: string, starts?: Float64Array): SecretMatch[] {
  const out: SecretMatch[] = [];
  let line = 1;
  let countedTo = 0;
  for (const m of ruleMatches(rule, text, starts)) {
    const group = rule.group ?? 0;
    const secret = m[group] ?? m[0];
    const start = m.index + (group === 0 ? 0 : m[0].indexOf(secret));
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    // Matches come in text order: count lines from the previous match, not from the start.
    if (start < countedTo) {
      countedTo = 0;
      line = 1;
    }
    for (let i = text.indexOf('\n', countedTo); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) line++;
    countedTo = start;
    const lineEnd = text.indexOf('\n', lineStart);
    const lineText = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
    const col = start - lineStart;
    const firstLineOfSecret = secret.split('\n')[0]!;
    const masked = `${lineText.slice(0, col)}${'*'.repeat(Math.min(Math.max(firstLineOfSecret.length, 8), 40))}${secret.includes('\n') ? '' : lineText.slice(col + secret.length)}`;
    out.push({
      ruleId: rule.id,
      title: rule.title,
      severity: rule.severity,
      category: rule.category,
      line,
      column: col + 1,
      snippet: masked.length > 120 ? `${masked.slice(0, 117)}...` : masked,
      secretHash: createHash('sha256').update(secret).digest('hex').slice(0, 16),
    });
  }
  return out;
}

/** Binary files (a NUL byte in the first 8 KiB) are not scanned. */
export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).includes(0);
}
