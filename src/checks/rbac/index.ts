import type { Check } from '../types.ts';

export const rbacChecks: readonly Check[] = [];
