import type { Check } from '../types.ts';
import cpuRequestsMissing from './cpu-requests-missing.ts';
import cpuLimitsMissing from './cpu-limits-missing.ts';
import memoryRequestsMissing from './memory-requests-missing.ts';
import memoryLimitsMissing from './memory-limits-missing.ts';
import resourcesOutOfRange from './resources-out-of-range.ts';
import requestsNotEqualLimits from './requests-not-equal-limits.ts';
import ephemeralStorageMissing from './ephemeral-storage-missing.ts';
import namespaceWithoutLimitRange from './namespace-without-limitrange.ts';
import namespaceWithoutResourceQuota from './namespace-without-resourcequota.ts';
import volumeClaimTemplateIncomplete from './volume-claim-template-incomplete.ts';

export const resourceChecks: readonly Check[] = [
  cpuRequestsMissing,
  cpuLimitsMissing,
  memoryRequestsMissing,
  memoryLimitsMissing,
  resourcesOutOfRange,
  requestsNotEqualLimits,
  ephemeralStorageMissing,
  namespaceWithoutLimitRange,
  namespaceWithoutResourceQuota,
  volumeClaimTemplateIncomplete,
];
