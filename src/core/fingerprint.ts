import { hash } from 'node:crypto';
import type { Target } from './finding.ts';

/**
 * Stable across runs and across edits that move lines: built from what the finding is about
 * (rule, resource identity, field), never from file positions. The API version is left out
 * (only its group is kept) so that moving to a new version of the same API keeps waivers and
 * history valid. `crypto.hash` (one-shot) is several times cheaper per finding than createHash.
 */
export function fingerprint(ruleId: string, target: Target, fieldPath: string | undefined, extra = ''): string {
  const slash = target.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : target.apiVersion.slice(0, slash);
  const key = `${ruleId}\u0000${group}\u0000${target.kind}\u0000${target.namespace ?? ''}\u0000${target.name}\u0000${fieldPath ?? ''}\u0000${extra}`;
  return hash('sha256', key, 'hex').slice(0, 32);
}
