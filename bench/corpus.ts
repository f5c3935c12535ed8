/** A deterministic corpus of Kubernetes manifests for benchmarks: mixed kinds, mixed hygiene. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prng } from './prng.ts';


type Gen = (i: number, ns: string, rnd: () => number) => string;

/** BENCH_HARDEN=1: every container hardened (the same random draws otherwise), to see what findings cost. */
const HARDEN_ALL = process.env['BENCH_HARDEN'] === '1';

const container = (name: string, rnd: () => number): string => {
  const hardened = rnd() < 0.5 || HARDEN_ALL;
  const sc = hardened
    ? `
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            runAsNonRoot: true
            runAsUser: 10001
            capabilities: { drop: [ALL] }
            seccompProfile: { type: RuntimeDefault }`
    : rnd() < 0.3
      ? `
          securityContext:
            privileged: true
            capabilities: { add: [SYS_ADMIN, NET_RAW] }`
      : '';
  const res = rnd() < 0.7 ? `
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }` : '';
  const probes = rnd() < 0.6 ? `
          livenessProbe: { httpGet: { path: /healthz, port: 8080 } }
          readinessProbe: { httpGet: { path: /ready, port: 8080 } }` : '';
  const image = rnd() < 0.3 ? 'nginx:latest' : `registry.example.com/team/${name}:1.${Math.floor(rnd() * 20)}.0`;
  return `
        - name: ${name}
          image: ${image}
          ports:
            - containerPort: 8080
          env:
            - { name: LOG_LEVEL, value: info }
            - { name: DB_HOST, value: db.example.internal }${sc}${res}${probes}`;
};

const podTemplate = (name: string, rnd: () => number, indent: string): string =>
  `metadata:
  labels: { app: ${name} }
spec:
  serviceAccountName: ${rnd() < 0.5 ? name : 'default'}
  containers:${container(name, rnd)}${rnd() < 0.3 ? container(`${name}-sidecar`, rnd) : ''}`
    .split('\n')
    .map((l) => indent + l)
    .join('\n');

const GENERATORS: Array<[number, Gen]> = [
  [30, (i, ns, rnd) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${ns}
  labels: { app: app-${i}, team: t${i % 7} }
spec:
  replicas: ${1 + Math.floor(rnd() * 4)}
  selector:
    matchLabels: { app: app-${i} }
  template:
${podTemplate(`app-${i}`, rnd, '    ')}`],
  [20, (i, ns) => `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: ${ns}
spec:
  type: ${i % 10 === 0 ? 'NodePort' : 'ClusterIP'}
  selector: { app: app-${i - 1} }
  ports:
    - { name: http, port: 80, targetPort: 8080 }`],
  [15, (i, ns) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-${i}
  namespace: ${ns}
data:
  LOG_FORMAT: json
  FEATURE_${i}: "true"
  settings.yaml: |
    retries: 3
    timeout: 30s`],
  [5, (i, ns, rnd) => `apiVersion: v1
kind: Pod
metadata:
  name: pod-${i}
  namespace: ${ns}
${podTemplate(`pod-${i}`, rnd, '').split('\n').slice(2).join('\n')}`],
  [5, (i, ns, rnd) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-${i}
  namespace: ${ns}
spec:
  serviceName: db-${i}
  replicas: 3
  selector:
    matchLabels: { app: db-${i} }
  template:
${podTemplate(`db-${i}`, rnd, '    ')}`],
  [5, (i, ns, rnd) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: job-${i}
  namespace: ${ns}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
${podTemplate(`job-${i}`, rnd, '        ')}
          restartPolicy: OnFailure`],
  [5, (i, ns) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: role-${i}
  namespace: ${ns}
rules:
  - apiGroups: [""]
    resources: [${i % 4 === 0 ? 'secrets' : 'configmaps'}]
    verbs: [get, list, watch]`],
  [5, (i, ns) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb-${i}
  namespace: ${ns}
subjects:
  - { kind: ServiceAccount, name: app-${i}, namespace: ${ns} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: role-${i - 1} }`],
  [5, (i, ns) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np-${i}
  namespace: ${ns}
spec:
  podSelector:
    matchLabels: { app: app-${i - 3} }
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector: { matchLabels: { role: frontend } }
      ports:
        - { protocol: TCP, port: 8080 }`],
  [5, (i, ns) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-${i}
  namespace: ${ns}
automountServiceAccountToken: false`],
];

const TOTAL_WEIGHT = GENERATORS.reduce((s, [w]) => s + w, 0);

/** Writes `files` files of `perFile` resources each under `dir`; returns the number of resources. */
export async function writeCorpus(dir: string, files = 200, perFile = 100, seed = 42): Promise<number> {
  const rnd = prng(seed);
  await mkdir(dir, { recursive: true });
  let n = 0;
  for (let f = 0; f < files; f++) {
    const ns = `team-${f % 20}`;
    const docs: string[] = [];
    for (let d = 0; d < perFile; d++, n++) {
      let pick = rnd() * TOTAL_WEIGHT;
      const gen = GENERATORS.find(([w]) => (pick -= w) < 0)?.[1] ?? GENERATORS[0]![1];
      docs.push(gen(n, ns, rnd));
    }
    await writeFile(join(dir, `manifests-${String(f).padStart(3, '0')}.yaml`), `${docs.join('\n---\n')}\n`);
  }
  return n;
}
