import type { Check } from '../types.ts';
import configmapCredential from './configmap-credential.ts';
import defaultSaAutomount from './default-sa-automount.ts';
import defaultSaBound from './default-sa-bound.ts';
import defaultSaUsed from './default-sa-used.ts';
import envHardcodedCredential from './env-hardcoded-credential.ts';
import envRefMissing from './env-ref-missing.ts';
import saDeprecatedField from './sa-deprecated-field.ts';
import saMissing from './sa-missing.ts';
import saTokenAutomount from './sa-token-automount.ts';
import secretInEnv from './secret-in-env.ts';
import workloadMounts from './workload-mounts.ts';

export const accessChecks: readonly Check[] = [
  saTokenAutomount,
  defaultSaAutomount,
  defaultSaBound,
  defaultSaUsed,
  saMissing,
  saDeprecatedField,
  secretInEnv,
  envHardcodedCredential,
  configmapCredential,
  envRefMissing,
  workloadMounts,
];
