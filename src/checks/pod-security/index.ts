import type { Check } from '../types.ts';
import privileged from './privileged.ts';

export const podSecurityChecks: readonly Check[] = [privileged];
