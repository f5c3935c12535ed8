/**
 * Every Pod Security Standards check, and the active check set per (level, version).
 *
 * For policy v1.N a check uses its newest variant with minVersion ≤ N and does not apply when
 * its first variant is newer. Restricted runs the baseline checks plus its own, minus the
 * baseline checks a restricted check overrides at that version. The active list is computed
 * once per (level, version) and cached.
 */
import type { CheckVariant, Exemption, PssCheck } from './check.ts';
import type { PssLevel } from './types.ts';
import { allowPrivilegeEscalation } from './checks/allowPrivilegeEscalation.ts';
import { appArmorProfile } from './checks/appArmorProfile.ts';
import { capabilities_baseline } from './checks/capabilities_baseline.ts';
import { capabilities_restricted } from './checks/capabilities_restricted.ts';
import { hostNamespaces } from './checks/hostNamespaces.ts';
import { hostPathVolumes } from './checks/hostPathVolumes.ts';
import { hostPorts } from './checks/hostPorts.ts';
import { hostProbesAndHostLifecycle } from './checks/hostProbesAndHostLifecycle.ts';
import { privileged } from './checks/privileged.ts';
import { procMount } from './checks/procMount.ts';
import { procMount_restricted } from './checks/procMount_restricted.ts';
import { restrictedVolumes } from './checks/restrictedVolumes.ts';
import { runAsNonRoot } from './checks/runAsNonRoot.ts';
import { runAsUser } from './checks/runAsUser.ts';
import { seccompProfile_baseline } from './checks/seccompProfile_baseline.ts';
import { seccompProfile_restricted } from './checks/seccompProfile_restricted.ts';
import { seLinuxOptions } from './checks/seLinuxOptions.ts';
import { sysctls } from './checks/sysctls.ts';
import { windowsHostProcess } from './checks/windowsHostProcess.ts';

/** In upstream's order: baseline checks, then restricted ones. */
export const PSS_CHECKS: readonly PssCheck[] = [
  appArmorProfile,
  capabilities_baseline,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMount,
  seccompProfile_baseline,
  seLinuxOptions,
  sysctls,
  windowsHostProcess,
  allowPrivilegeEscalation,
  capabilities_restricted,
  procMount_restricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seccompProfile_restricted,
];

/** The newest minor any check changes at: `latest` and anything newer evaluate as this. */
export const NEWEST_VERSION = Math.max(...PSS_CHECKS.flatMap((c) => c.variants.map((v) => v.minVersion)));

/** A check variant in effect for one (level, version). */
export interface ActiveCheck {
  check: PssCheck;
  variant: CheckVariant;
  exemptWindows: boolean;
  exemptUserNamespace: boolean;
}

function variantAt(check: PssCheck, version: number): CheckVariant | undefined {
  let found: CheckVariant | undefined;
  for (const v of check.variants) if (v.minVersion <= version) found = v;
  return found;
}

function has(exemptions: readonly Exemption[] | undefined, e: Exemption): boolean {
  return exemptions !== undefined && exemptions.includes(e);
}

function computeActive(level: Exclude<PssLevel, 'privileged'>, version: number): ActiveCheck[] {
  const overridden = new Set<string>();
  if (level === 'restricted')
    for (const c of PSS_CHECKS) if (c.level === 'restricted' && c.overrides !== undefined && version >= c.overrides.fromVersion && variantAt(c, version) !== undefined) overridden.add(c.overrides.checkId);
  const out: ActiveCheck[] = [];
  for (const check of PSS_CHECKS) {
    if (check.level === 'restricted' && level !== 'restricted') continue;
    if (overridden.has(check.id)) continue;
    const variant = variantAt(check, version);
    if (variant === undefined) continue;
    out.push({ check, variant, exemptWindows: has(variant.exemptions, 'windows'), exemptUserNamespace: has(variant.exemptions, 'userNamespace') });
  }
  return out;
}

const NO_CHECKS: readonly ActiveCheck[] = [];
const cache = new Map<number, readonly ActiveCheck[]>();

/** The checks to run for `level` at minor `version` (already clamped to NEWEST_VERSION). */
export function activeChecks(level: PssLevel, version: number): readonly ActiveCheck[] {
  if (level === 'privileged') return NO_CHECKS;
  const key = version * 2 + (level === 'restricted' ? 1 : 0);
  let list = cache.get(key);
  if (list === undefined) cache.set(key, (list = computeActive(level, version)));
  return list;
}
