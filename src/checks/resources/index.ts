import type { Check } from '../types.ts';

export const resourceChecks: readonly Check[] = [];
