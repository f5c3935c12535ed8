/**
 * CVSS v3.0 / v3.1 base scores, computed from the vector (FIRST CVSS v3.1 specification §7):
 * a number shipped next to a vector is never trusted on its own. Temporal and environmental
 * metrics in the vector are accepted and ignored (the base score is what advisories rate).
 */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

const BASE_METRICS = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;

/** Smallest number with one decimal that is ≥ x, computed on integers as §Appendix A asks. */
function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** The base score of a `CVSS:3.x/…` vector, or undefined when the vector is not valid. */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  const version = /^CVSS:3\.([01])$/.exec(parts[0] ?? '');
  if (version === null) return undefined;
  const m = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const [k, v, extra] = p.split(':');
    if (k === undefined || v === undefined || extra !== undefined || m.has(k)) return undefined;
    m.set(k, v);
  }
  if (!BASE_METRICS.every((k) => m.has(k))) return undefined;
  const scope = m.get('S');
  if (scope !== 'U' && scope !== 'C') return undefined;
  const av = (WEIGHTS.AV as Record<string, number>)[m.get('AV')!];
  const ac = (WEIGHTS.AC as Record<string, number>)[m.get('AC')!];
  const ui = (WEIGHTS.UI as Record<string, number>)[m.get('UI')!];
  const prTable: Record<string, number> = scope === 'U' ? { N: 0.85, L: 0.62, H: 0.27 } : { N: 0.85, L: 0.68, H: 0.5 };
  const pr = prTable[m.get('PR')!];
  const [c, i, a] = (['C', 'I', 'A'] as const).map((k) => (WEIGHTS.CIA as Record<string, number>)[m.get(k)!]);
  if ([av, ac, ui, pr, c, i, a].some((w) => w === undefined)) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  if (impact <= 0) return 0;
  const raw = scope === 'U' ? Math.min(impact + exploitability, 10) : Math.min(1.08 * (impact + exploitability), 10);
  // v3.0 rounds up plainly; v3.1 fixed floating-point artefacts of that rounding.
  return version[1] === '0' ? Math.ceil(raw * 10) / 10 : roundUp31(raw);
}
