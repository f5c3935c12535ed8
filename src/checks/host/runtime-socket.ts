/**
 * Whoever can talk to the container runtime's socket can start a privileged container on the
 * node: full node takeover. Reads `spec.volumes[*].hostPath.path`, normalised; flags a known
 * socket path or a directory that contains one (`/var/run`, `/run/containerd` …), and any path
 * whose file name is a runtime socket name (custom socket locations).
 */
import { defineCheck } from '../types.ts';
import { hostPathVolumes } from './host-paths.ts';

/** Default socket locations of Docker, containerd (incl. k3s), CRI-O, cri-dockerd, Podman and the old dockershim. */
const SOCKET_PATHS = [
  '/var/run/docker.sock', '/run/docker.sock',
  '/var/run/containerd/containerd.sock', '/run/containerd/containerd.sock', '/run/k3s/containerd/containerd.sock',
  '/var/run/crio/crio.sock', '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock', '/run/cri-dockerd.sock',
  '/var/run/dockershim.sock',
  '/run/podman/podman.sock', '/var/run/podman/podman.sock',
];
const SOCKET_NAMES = new Set(['docker.sock', 'containerd.sock', 'crio.sock', 'cri-dockerd.sock', 'dockershim.sock', 'podman.sock']);

function exposedSocket(path: string): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (SOCKET_NAMES.has(name)) return path;
  return SOCKET_PATHS.find((socket) => socket === path || path === '/' || socket.startsWith(`${path}/`));
}

export default defineCheck({
  id: 'K8S-RUNTIME-SOCKET',
  title: 'Container runtime socket mounted',
  severity: 'critical',
  category: 'host',
  description: 'The Docker, containerd or CRI-O socket accepts unauthenticated requests to create containers; a pod that mounts it can start a privileged container with the host filesystem and take over the node.',
  remediation: 'Remove the hostPath volume for the runtime socket (or its directory); build images with a daemonless builder (BuildKit rootless, kaniko) instead.',
  fields: ['spec.volumes[*].hostPath.path'],
  frameworks: { 'nist-800-190': ['4.4.3', '4.5.5'] },
  aliases: ['KSV-0006', 'CKV_K8S_27', 'C-0074', 'DockerSock', 'docker-sock'],
  concepts: [37],
  kinds: 'workload',
  run(ctx) {
    for (const v of hostPathVolumes(ctx.workload!)) {
      const socket = exposedSocket(v.path);
      if (socket === undefined) continue;
      const detail = socket === v.path ? 'the container runtime socket' : `a directory containing the runtime socket ${socket}`;
      ctx.report(v.fieldPath, `volume "${v.name}" mounts ${detail} (${v.rawPath})`);
    }
  },
});
