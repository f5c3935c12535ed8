import type { Check } from '../types.ts';
import privileged from './privileged.ts';
import allowPrivilegeEscalation from './allow-privilege-escalation.ts';
import runAsNonRoot from './run-as-non-root.ts';
import runAsRootUid from './run-as-root-uid.ts';
import lowUid from './low-uid.ts';
import lowGid from './low-gid.ts';
import rootGroup from './root-group.ts';
import writableRootFilesystem from './writable-root-filesystem.ts';
import noSecurityContext from './no-security-context.ts';
import capabilitiesNotDropped from './capabilities-not-dropped.ts';
import noCapabilitiesDropped from './no-capabilities-dropped.ts';
import netRaw from './net-raw.ts';
import sysAdminCapability from './sys-admin-capability.ts';
import dangerousCapabilities from './dangerous-capabilities.ts';
import addedCapabilities from './added-capabilities.ts';
import seccompNotSet from './seccomp-not-set.ts';
import seccompUnconfined from './seccomp-unconfined.ts';
import apparmorNotSet from './apparmor-not-set.ts';
import apparmorUnconfined from './apparmor-unconfined.ts';
import selinuxNotSet from './selinux-not-set.ts';
import selinuxCustom from './selinux-custom.ts';
import linuxHardening from './linux-hardening.ts';
import procMount from './proc-mount.ts';
import unsafeSysctls from './unsafe-sysctls.ts';
import hostProcess from './host-process.ts';
import podSecurityFields from './pod-security-fields.ts';
import hostUsers from './host-users.ts';
import restrictedVolumeTypes from './restricted-volume-types.ts';
import privilegedPorts from './privileged-ports.ts';

/** Union-table rows 1–29 (pod and container securityContext). */
export const podSecurityChecks: readonly Check[] = [
  privileged,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsRootUid,
  lowUid,
  lowGid,
  rootGroup,
  writableRootFilesystem,
  noSecurityContext,
  capabilitiesNotDropped,
  noCapabilitiesDropped,
  netRaw,
  sysAdminCapability,
  dangerousCapabilities,
  addedCapabilities,
  seccompNotSet,
  seccompUnconfined,
  apparmorNotSet,
  apparmorUnconfined,
  selinuxNotSet,
  selinuxCustom,
  linuxHardening,
  procMount,
  unsafeSysctls,
  hostProcess,
  podSecurityFields,
  hostUsers,
  restrictedVolumeTypes,
  privilegedPorts,
];
