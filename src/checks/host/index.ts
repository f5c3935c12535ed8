import type { Check } from '../types.ts';
import hostPid from './host-pid.ts';
import hostIpc from './host-ipc.ts';
import hostNetwork from './host-network.ts';
import hostPort from './host-port.ts';
import hostPathVolume from './host-path-volume.ts';
import writableHostPath from './writable-host-path.ts';
import sensitiveHostPath from './sensitive-host-path.ts';
import runtimeSocket from './runtime-socket.ts';
import cloudCredentialsPath from './cloud-credentials-path.ts';
import hostAliases from './host-aliases.ts';

/** Union-table rows 30–39 (host namespaces, ports and paths). */
export const hostChecks: readonly Check[] = [hostPid, hostIpc, hostNetwork, hostPort, hostPathVolume, writableHostPath, sensitiveHostPath, runtimeSocket, cloudCredentialsPath, hostAliases];
