import type { Check } from '../types.ts';

export const componentChecks: readonly Check[] = [];
