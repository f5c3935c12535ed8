import type { Check } from '../types.ts';

export const reliabilityChecks: readonly Check[] = [];
