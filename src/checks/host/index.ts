import type { Check } from '../types.ts';

export const hostChecks: readonly Check[] = [];
