/**
 * CVSS v4.0 base scores, computed from the vector as the FIRST CVSS v4.0 specification (§8)
 * defines them: the vector falls into a "macrovector" of six equivalence classes (EQ1–EQ6)
 * whose score is tabulated; the score is then lowered within the macrovector by how far the
 * vector sits from that macrovector's most severe vectors, relative to the next lower
 * macrovectors. Threat and environmental metrics are honoured when present (E defaults to
 * Attacked, CR/IR/AR to High), so a plain base vector yields the CVSS-B score.
 */

/**
 * Macrovector scores, data from the specification's lookup table (FIRST, as published with its
 * reference calculator), in the order of the nested loops of `macrovectors()`.
 */
const SCORES: readonly number[] = [
  // EQ1=0
  10, 9.9, 9.8, 9.5, 9.5, 9.2, 10, 9.6, 9.3, 8.7, 9.1, 8.1, 9.3, 9, 8.9, 8, 8.1, 6.8,
  9.8, 9.5, 9.5, 9.2, 9, 8.4, 9.3, 9.2, 8.9, 8.1, 8.1, 6.5, 8.8, 8, 7.8, 7, 6.9, 4.8,
  9.2, 8.2, 7.2, 7.9, 6.9, 5, 6.9, 5.5, 2.7,
  9.9, 9.7, 9.5, 9.2, 9.2, 8.5, 9.5, 9.1, 9, 8.3, 8.4, 7.1, 9.2, 8.1, 8.2, 7.1, 7.2, 5.3,
  9.5, 9.3, 9.2, 8.5, 8.5, 7.3, 9.2, 8.2, 8, 7.2, 7, 5.9, 8.4, 7, 7.1, 5.2, 5, 3,
  8.6, 7.5, 5.2, 7.1, 5.2, 2.9, 6.3, 2.9, 1.7,
  // EQ1=1
  9.8, 9.5, 9.4, 8.7, 9.1, 8.1, 9.4, 8.9, 8.6, 7.4, 7.7, 6.4, 8.7, 7.5, 7.4, 6.3, 6.3, 4.9,
  9.4, 8.9, 8.8, 7.7, 7.6, 6.7, 8.6, 7.6, 7.4, 5.8, 5.9, 5, 7.2, 5.7, 5.7, 5.2, 5.2, 2.5,
  8.3, 7, 5.4, 6.5, 5.8, 2.6, 5.3, 2.1, 1.3,
  9.5, 9, 8.8, 7.6, 7.6, 7, 9, 7.7, 7.5, 6.2, 6.1, 5.3, 7.7, 6.6, 6.8, 5.9, 5.2, 3,
  8.9, 7.8, 7.6, 6.7, 6.2, 5.8, 7.4, 5.9, 5.7, 5.7, 4.7, 2.3, 6.1, 5.2, 5.7, 2.9, 2.4, 1.6,
  7.1, 5.9, 3, 5.8, 2.6, 1.5, 2.3, 1.3, 0.6,
  // EQ1=2
  9.3, 8.7, 8.6, 7.2, 7.5, 5.8, 8.6, 7.4, 7.4, 6.1, 5.6, 3.4, 7, 5.4, 5.2, 4, 4, 2.2,
  8.5, 7.5, 7.4, 5.5, 6.2, 5.1, 7.2, 5.7, 5.5, 4.1, 4.6, 1.9, 5.3, 3.6, 3.4, 1.9, 1.9, 0.8,
  6.4, 5.1, 2, 4.7, 2.1, 1.1, 2.4, 0.9, 0.4,
  8.8, 7.5, 7.3, 5.3, 6, 5, 7.3, 5.5, 5.9, 4, 4.1, 2, 5.4, 4.3, 4.5, 2.2, 2, 1.1,
  7.5, 5.5, 5.8, 4.5, 4, 2.1, 6.1, 5.1, 4.8, 1.8, 2, 0.9, 4.6, 1.8, 1.7, 0.7, 0.8, 0.2,
  5.3, 2.4, 1.4, 2.4, 1.2, 0.5, 1, 0.3, 0.1,
];

/** Every macrovector `EQ1..EQ6` in table order (EQ3=2 only exists with EQ6=1). */
function macrovectors(): string[] {
  const out: string[] = [];
  for (const e1 of [0, 1, 2])
    for (const e2 of [0, 1])
      for (const e3 of [0, 1, 2])
        for (const e4 of [0, 1, 2])
          for (const e5 of [0, 1, 2])
            for (const e6 of e3 === 2 ? [1] : [0, 1]) out.push(`${e1}${e2}${e3}${e4}${e5}${e6}`);
  return out;
}

const LOOKUP = new Map<string, number>(macrovectors().map((mv, i) => [mv, SCORES[i]!]));

/** The most severe vectors of each EQ level (spec tables 24–30), as metric maps. */
const HIGHEST: {
  eq1: string[][];
  eq2: string[][];
  eq3eq6: Record<string, string[]>;
  eq4: string[][];
} = {
  eq1: [['AV:N/PR:N/UI:N'], ['AV:A/PR:N/UI:N', 'AV:N/PR:L/UI:N', 'AV:N/PR:N/UI:P'], ['AV:P/PR:N/UI:N', 'AV:A/PR:L/UI:P']],
  eq2: [['AC:L/AT:N'], ['AC:H/AT:N', 'AC:L/AT:P']],
  eq3eq6: {
    '00': ['VC:H/VI:H/VA:H/CR:H/IR:H/AR:H'],
    '01': ['VC:H/VI:H/VA:L/CR:M/IR:M/AR:H', 'VC:H/VI:H/VA:H/CR:M/IR:M/AR:M'],
    '10': ['VC:L/VI:H/VA:H/CR:H/IR:H/AR:H', 'VC:H/VI:L/VA:H/CR:H/IR:H/AR:H'],
    '11': ['VC:L/VI:H/VA:L/CR:H/IR:M/AR:H', 'VC:L/VI:H/VA:H/CR:H/IR:M/AR:M', 'VC:H/VI:L/VA:H/CR:M/IR:H/AR:M', 'VC:H/VI:L/VA:L/CR:M/IR:H/AR:H', 'VC:L/VI:L/VA:H/CR:H/IR:H/AR:M'],
    '21': ['VC:L/VI:L/VA:L/CR:H/IR:H/AR:H'],
  },
  eq4: [['SC:H/SI:S/SA:S'], ['SC:H/SI:H/SA:H'], ['SC:L/SI:L/SA:L']],
};

/** How many severity steps each EQ level spans (its depth + 1). */
const MAX_SEVERITY = {
  eq1: [1, 4, 5],
  eq2: [1, 2],
  eq3eq6: { '00': 7, '01': 6, '10': 8, '11': 8, '21': 10 } as Record<string, number>,
  eq4: [6, 5, 4],
};

/** Values per metric, most severe first: the index is the metric's severity level. */
const LEVELS: Record<string, string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['S', 'H', 'L', 'N'],
  SA: ['S', 'H', 'L', 'N'],
  E: ['A', 'P', 'U'],
  CR: ['H', 'M', 'L'],
  IR: ['H', 'M', 'L'],
  AR: ['H', 'M', 'L'],
};

const BASE = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'];
const ALLOWED: Record<string, string[]> = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  AT: ['N', 'P'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'],
  VI: ['H', 'L', 'N'],
  VA: ['H', 'L', 'N'],
  SC: ['H', 'L', 'N'],
  SI: ['H', 'L', 'N'],
  SA: ['H', 'L', 'N'],
  E: ['X', 'A', 'P', 'U'],
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MAT: ['X', 'N', 'P'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'P', 'A'],
  MVC: ['X', 'H', 'L', 'N'],
  MVI: ['X', 'H', 'L', 'N'],
  MVA: ['X', 'H', 'L', 'N'],
  MSC: ['X', 'H', 'L', 'N'],
  MSI: ['X', 'S', 'H', 'L', 'N'],
  MSA: ['X', 'S', 'H', 'L', 'N'],
};
// Supplemental metrics do not change the score; they are accepted.
const SUPPLEMENTAL = new Set(['S', 'AU', 'R', 'V', 'RE', 'U']);

function parse(vector: string): Map<string, string> | undefined {
  const parts = vector.trim().split('/');
  if (parts[0] !== 'CVSS:4.0') return undefined;
  const m = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const colon = p.indexOf(':');
    if (colon <= 0) return undefined;
    const k = p.slice(0, colon);
    const v = p.slice(colon + 1);
    if (m.has(k)) return undefined;
    if (!SUPPLEMENTAL.has(k) && ALLOWED[k]?.includes(v) !== true) return undefined;
    m.set(k, v);
  }
  return BASE.every((k) => m.has(k)) ? m : undefined;
}

/** The value a metric takes for scoring: modified metrics override base ones. */
function effective(m: Map<string, string>, key: string): string {
  if (key === 'E') return m.get('E') === undefined || m.get('E') === 'X' ? 'A' : m.get('E')!;
  if (key === 'CR' || key === 'IR' || key === 'AR') return m.get(key) === undefined || m.get(key) === 'X' ? 'H' : m.get(key)!;
  const modified = m.get(`M${key}`);
  return modified !== undefined && modified !== 'X' ? modified : m.get(key)!;
}

function equivalenceClasses(v: (k: string) => string): [number, number, number, number, number, number] {
  const [av, pr, ui] = [v('AV'), v('PR'), v('UI')];
  const eq1 = av === 'N' && pr === 'N' && ui === 'N' ? 0 : (av === 'N' || pr === 'N' || ui === 'N') && av !== 'P' ? 1 : 2;
  const eq2 = v('AC') === 'L' && v('AT') === 'N' ? 0 : 1;
  const [vc, vi, va] = [v('VC'), v('VI'), v('VA')];
  const eq3 = vc === 'H' && vi === 'H' ? 0 : vc === 'H' || vi === 'H' || va === 'H' ? 1 : 2;
  const eq4 = v('SI') === 'S' || v('SA') === 'S' ? 0 : v('SC') === 'H' || v('SI') === 'H' || v('SA') === 'H' ? 1 : 2;
  const eq5 = { A: 0, P: 1, U: 2 }[v('E') as 'A' | 'P' | 'U'];
  const eq6 = (v('CR') === 'H' && vc === 'H') || (v('IR') === 'H' && vi === 'H') || (v('AR') === 'H' && va === 'H') ? 0 : 1;
  return [eq1, eq2, eq3, eq4, eq5, eq6];
}

const score = (eqs: number[]): number => LOOKUP.get(eqs.join('')) ?? Number.NaN;

/** The base (or CVSS-BT/BE/BTE) score of a `CVSS:4.0/…` vector, or undefined when the vector is not valid. */
export function cvss4BaseScore(vector: string): number | undefined {
  const m = parse(vector);
  if (m === undefined) return undefined;
  const v = (k: string): string => effective(m, k);
  if (['VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((k) => v(k) === 'N')) return 0;
  const [eq1, eq2, eq3, eq4, eq5, eq6] = equivalenceClasses(v);
  const value = score([eq1, eq2, eq3, eq4, eq5, eq6]);

  const lowerEq1 = score([eq1 + 1, eq2, eq3, eq4, eq5, eq6]);
  const lowerEq2 = score([eq1, eq2 + 1, eq3, eq4, eq5, eq6]);
  const lowerEq4 = score([eq1, eq2, eq3, eq4 + 1, eq5, eq6]);
  const lowerEq5 = score([eq1, eq2, eq3, eq4, eq5 + 1, eq6]);
  let lowerEq3Eq6: number;
  if (eq3 === 0 && eq6 === 0) {
    // Two next-lower macrovectors: take the higher of them.
    const left = score([eq1, eq2, eq3, eq4, eq5, eq6 + 1]);
    const right = score([eq1, eq2, eq3 + 1, eq4, eq5, eq6]);
    lowerEq3Eq6 = left > right ? left : right;
  } else if (eq3 === 1 && eq6 === 0) lowerEq3Eq6 = score([eq1, eq2, eq3, eq4, eq5, eq6 + 1]);
  else if (eq6 === 1 && eq3 < 2) lowerEq3Eq6 = score([eq1, eq2, eq3 + 1, eq4, eq5, eq6]);
  else lowerEq3Eq6 = score([eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1]);

  // The first of the macrovector's most severe vectors that the vector is no more severe than.
  const key36 = `${eq3}${eq6}`;
  const level = (k: string, val: string): number => LEVELS[k]!.indexOf(val);
  let distance: Record<string, number> | undefined;
  for (const a of HIGHEST.eq1[eq1]!)
    for (const b of HIGHEST.eq2[eq2]!)
      for (const c of HIGHEST.eq3eq6[key36]!)
        for (const d of HIGHEST.eq4[eq4]!) {
          if (distance !== undefined) continue;
          const max = new Map([a, b, c, d].flatMap((s) => s.split('/')).map((p) => p.split(':') as [string, string]));
          const dist: Record<string, number> = {};
          let ok = true;
          for (const [k, maxVal] of max) {
            dist[k] = level(k, v(k)) - level(k, maxVal);
            if (dist[k]! < 0) ok = false;
          }
          if (ok) distance = dist;
        }
  const d = distance ?? {};
  const sum = (...ks: string[]): number => ks.reduce((acc, k) => acc + (d[k] ?? 0), 0);
  const parts: Array<[number, number, number]> = [
    [lowerEq1, sum('AV', 'PR', 'UI'), MAX_SEVERITY.eq1[eq1]!],
    [lowerEq2, sum('AC', 'AT'), MAX_SEVERITY.eq2[eq2]!],
    [lowerEq3Eq6, sum('VC', 'VI', 'VA', 'CR', 'IR', 'AR'), MAX_SEVERITY.eq3eq6[key36]!],
    [lowerEq4, sum('SC', 'SI', 'SA'), MAX_SEVERITY.eq4[eq4]!],
    [lowerEq5, 0, 1],
  ];
  let total = 0;
  let existing = 0;
  for (const [lower, dist, maxSeverity] of parts) {
    if (Number.isNaN(lower)) continue;
    existing++;
    total += (value - lower) * (dist / maxSeverity);
  }
  const result = Math.min(10, Math.max(0, value - (existing === 0 ? 0 : total / existing)));
  return Math.round(result * 10) / 10;
}
