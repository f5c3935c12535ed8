/**
 * The built-in checks against the peer union table (shared/reference/manifest-checks-peers.md §1)
 * and docs/coverage.md, which scripts/coverage.ts generates from the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUILTIN_CHECKS } from '../../src/checks/registry.ts';

const UNION_TABLE = new URL('../../../shared/reference/manifest-checks-peers.md', import.meta.url);
const COVERAGE_DOC = new URL('../../docs/coverage.md', import.meta.url);

interface UnionRow {
  row: number;
  concept: string;
  peers: number;
}

/** `| # | Concept | polaris | kubesec | checkov | kubescape | trivy | kube-linter | kube-score | #peers | Frameworks |` rows of §1. */
function parseUnionTable(markdown: string): UnionRow[] {
  const section1 = markdown.slice(markdown.indexOf('## 1.'), markdown.indexOf('## 2.'));
  const rows: UnionRow[] = [];
  for (const line of section1.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length === 11 && /^\d+$/.test(cells[0]!)) rows.push({ row: Number(cells[0]), concept: cells[1]!, peers: Number(cells[9]) });
  }
  return rows;
}

/** Row number → "left out because" cell of docs/coverage.md. */
function documentedReasons(markdown: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of markdown.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    if (cells.length === 5 && /^\d+$/.test(cells[0]!) && cells[4] !== '') out.set(Number(cells[0]), cells[4]!);
  }
  return out;
}

const rows = parseUnionTable(readFileSync(UNION_TABLE, 'utf8'));
const covered = new Set(BUILTIN_CHECKS.flatMap((c) => c.concepts));
const uncovered = rows.filter((r) => !covered.has(r.row));

test('the union table parses into rows 1–148', () => {
  assert.deepEqual(rows.map((r) => r.row), Array.from({ length: 148 }, (_, i) => i + 1));
});

test('every row checked by at least 3 peers is covered', () => {
  assert.deepEqual(rows.filter((r) => r.peers >= 3 && !covered.has(r.row)).map((r) => `${r.row} ${r.concept}`), []);
});

test('at least 130 of 148 rows are covered', () => {
  assert.ok(rows.length - uncovered.length >= 130, `covered ${rows.length - uncovered.length}; uncovered: ${uncovered.map((r) => r.row).join(', ')}`);
});

test('every uncovered row has a reason in docs/coverage.md', () => {
  const reasons = documentedReasons(readFileSync(COVERAGE_DOC, 'utf8'));
  const missing = uncovered.filter((r) => (reasons.get(r.row) ?? '').startsWith('NOT COVERED') || !reasons.has(r.row));
  assert.deepEqual(missing.map((r) => `${r.row} ${r.concept}`), []);
});

test('checks name only rows of the union table', () => {
  const known = new Set(rows.map((r) => r.row));
  assert.deepEqual(BUILTIN_CHECKS.flatMap((c) => c.concepts.filter((n) => !known.has(n)).map((n) => `${c.id} ${n}`)), []);
});

test('rule IDs are unique', () => {
  const seen = new Set<string>();
  const duplicates = BUILTIN_CHECKS.map((c) => c.id).filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  assert.deepEqual(duplicates, []);
});

test('every check has a title, description, remediation and fields', () => {
  const incomplete = BUILTIN_CHECKS.filter((c) => c.title.trim() === '' || c.description.trim() === '' || c.remediation.trim() === '' || c.fields.length === 0 || c.fields.some((f) => f.trim() === ''));
  assert.deepEqual(incomplete.map((c) => c.id), []);
});
