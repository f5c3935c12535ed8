import type { Check } from '../types.ts';

export const imageChecks: readonly Check[] = [];
