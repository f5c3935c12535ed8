/** Helpers that phrase a ForbiddenDetail the way PSA does: who, what field, which values. */
import type { PodContainer } from './check.ts';

export function quote(value: unknown): string {
  return JSON.stringify(typeof value === 'string' ? value : String(value));
}

export function quoteAll(values: readonly unknown[]): string {
  return values.map(quote).join(', ');
}

export function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** `container "a"` or `containers "a", "b"` */
export function containersPhrase(containers: readonly PodContainer[]): string {
  return `${pluralize('container', 'containers', containers.length)} ${quoteAll(containers.map((c) => c.name))}`;
}

/** `pod`, `container "a"`, `pod and containers "a", "b"` */
export function settersPhrase(pod: boolean, containers: readonly PodContainer[]): string {
  if (containers.length === 0) return 'pod';
  const named = containersPhrase(containers);
  return pod ? `pod and ${named}` : named;
}

/** Unique values in first-seen order. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
