/** Every built-in manifest check. Each group folder exports its list; a check is one file. */
import type { Check } from './types.ts';
import { podSecurityChecks } from './pod-security/index.ts';
import { hostChecks } from './host/index.ts';
import { resourceChecks } from './resources/index.ts';
import { imageChecks } from './images/index.ts';
import { reliabilityChecks } from './reliability/index.ts';
import { accessChecks } from './access/index.ts';
import { rbacChecks } from './rbac/index.ts';
import { networkChecks } from './network/index.ts';
import { namespaceChecks } from './namespaces/index.ts';
import { componentChecks } from './components/index.ts';

export const BUILTIN_CHECKS: readonly Check[] = [
  ...podSecurityChecks,
  ...hostChecks,
  ...resourceChecks,
  ...imageChecks,
  ...reliabilityChecks,
  ...accessChecks,
  ...rbacChecks,
  ...networkChecks,
  ...namespaceChecks,
  ...componentChecks,
];
