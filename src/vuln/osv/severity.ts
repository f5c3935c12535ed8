/**
 * Severity of a vulnerability: computed from a CVSS vector when the records carry one (v3.x
 * preferred, as most advisories and peers rate with it; v4 otherwise), else the distribution's
 * own rating (Debian urgency, Ubuntu priority, GHSA's database severity), else unknown.
 */
import type { Severity } from '../../core/finding.ts';
import { cvss3BaseScore } from './cvss3.ts';
import { cvss4BaseScore } from './cvss4.ts';
import type { OsvAffected, OsvRecord } from './record.ts';

export interface SeverityRating {
  severity: Severity;
  /** Where the rating came from: `CVSS_V3`, `CVSS_V4`, `Ubuntu`, `Debian`, `database`, `unknown`. */
  source: string;
  vector?: string;
  score?: number;
}

export function severityFromScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  moderate: 'medium',
  medium: 'medium',
  low: 'low',
  negligible: 'info',
  unimportant: 'info',
};

const scores = new Map<string, number | undefined>();

/** CVSS scores by vector: a scan meets the same few hundred vectors over and over. */
function scoreOf(type: string, vector: string): number | undefined {
  const key = `${type} ${vector}`;
  if (scores.has(key)) return scores.get(key);
  if (scores.size >= 10_000) scores.clear();
  const score = type === 'CVSS_V3' ? cvss3BaseScore(vector) : cvss4BaseScore(vector);
  scores.set(key, score);
  return score;
}

/** The rating of one vulnerability seen through `sources` (records and their matching affected entries). */
export function rateSeverity(sources: ReadonlyArray<{ record: OsvRecord; affected: OsvAffected }>): SeverityRating {
  const entries = sources.flatMap(({ record, affected }) => [...(affected.severity ?? []), ...(record.severity ?? [])]);
  for (const type of ['CVSS_V3', 'CVSS_V4']) {
    for (const e of entries) {
      if (e.type !== type) continue;
      const score = scoreOf(type, e.score);
      if (score !== undefined) return { severity: severityFromScore(score), source: type, vector: e.score, score };
    }
  }
  for (const e of entries) {
    const word = WORDS[e.score.toLowerCase()];
    if (e.type === 'Ubuntu' && word !== undefined) return { severity: word, source: 'Ubuntu' };
  }
  for (const { affected } of sources) {
    const urgency = affected.ecosystem_specific?.['urgency'];
    const word = typeof urgency === 'string' ? WORDS[urgency.replace(/\*+$/, '').toLowerCase()] : undefined;
    if (word !== undefined) return { severity: word, source: 'Debian' };
  }
  for (const { record, affected } of sources) {
    const s = affected.database_specific?.['severity'] ?? record.database_specific?.['severity'];
    const word = typeof s === 'string' ? WORDS[s.toLowerCase()] : undefined;
    if (word !== undefined) return { severity: word, source: 'database' };
  }
  // No rating anywhere: reported as medium so an unrated vulnerability is not waved through as info.
  return { severity: 'medium', source: 'unknown' };
}
