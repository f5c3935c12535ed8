import type { Check } from '../types.ts';

export const accessChecks: readonly Check[] = [];
