import type { Check } from '../types.ts';

export const networkChecks: readonly Check[] = [];
