/** Falco priorities, most severe first, as printed in outputs. */
import type { Severity } from '../core/finding.ts';

export const PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Case-insensitive; `info` is accepted for Informational, as in Falco. */
export function parsePriority(text: string): Priority | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'info') return 'Informational';
  return PRIORITIES.find((p) => p.toLowerCase() === t);
}

/** 0 is the most severe. */
export function priorityRank(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

/** Alerts as bosun findings: Emergency–Critical critical, Error high, Warning medium, Notice low, else info. */
export function priorityToSeverity(p: Priority): Severity {
  switch (p) {
    case 'Emergency':
    case 'Alert':
    case 'Critical':
      return 'critical';
    case 'Error':
      return 'high';
    case 'Warning':
      return 'medium';
    case 'Notice':
      return 'low';
    default:
      return 'info';
  }
}
