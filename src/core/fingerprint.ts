import { createHash } from 'node:crypto';
import type { Target } from './finding.ts';

/**
 * Stable across runs and across edits that move lines: built from what the finding is about
 * (rule, resource identity, field), never from file positions.
 */
export function fingerprint(ruleId: string, target: Target, fieldPath: string | undefined, extra = ''): string {
  const key = [ruleId, target.apiVersion.split('/')[0] ?? '', target.kind, target.namespace ?? '', target.name, fieldPath ?? '', extra].join('\u0000');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
