import { hash } from 'node:crypto';
import { targetIdentity, type Target } from './finding.ts';

/**
 * Stable across runs and across edits that move lines: built from what the finding is about
 * (rule, target identity, field), never from file positions. For resources the API version is
 * left out (only its group is kept) so that moving to a new version of the same API keeps
 * waivers and history valid. `crypto.hash` (one-shot) is several times cheaper than createHash.
 */
export function fingerprint(ruleId: string, target: Target, fieldPath: string | undefined, extra = ''): string {
  return fingerprintOfIdentity(ruleId, targetIdentity(target), fieldPath, extra);
}

/** `fingerprint` with the target's identity (`targetIdentity`) computed once by the caller. */
export function fingerprintOfIdentity(ruleId: string, identity: string, fieldPath: string | undefined, extra = ''): string {
  return hash('sha256', `${ruleId}\u0000${identity}\u0000${fieldPath ?? ''}\u0000${extra}`, 'hex').slice(0, 32);
}
