import type { Check } from '../types.ts';

export const namespaceChecks: readonly Check[] = [];
