/** `bosun admission serve|certs|manifests`: flags → src/admission → output. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { generateWebhookCerts } from '../admission/certs.ts';
import { admissionManifests, NAME, renderManifests } from '../admission/manifests.ts';
import { bundleConfig } from '../admission/config-bundle.ts';
import { loadAdmissionPolicies } from '../admission/policies.ts';
import { policyWebhookRules, type WebhookRule } from '../admission/webhook-rules.ts';
import { startAdmissionServer, DEFAULTS } from '../admission/server.ts';
import { loadAdmissionSettings, pipelineFromSettings } from '../admission/settings.ts';
import { watchNamespaceLabels } from '../admission/namespaces.ts';
import { writeOutput } from './io.ts';

const USAGE = `Usage:
  bosun admission serve --tls-cert FILE --tls-key FILE [--config bosun.yaml] [--host 127.0.0.1] [--port 8443]
                        [--max-body-bytes N] [--max-in-flight N] [--namespace-labels [--kubeconfig FILE]]
                        --namespace-labels: PSS level per namespace from its pod-security.kubernetes.io labels
                        (lists Namespaces every 30 s; needs get/list on namespaces)
  bosun admission certs [--namespace bosun-system] [--service ${NAME}] [--out-dir DIR] [--days 365] [--name EXTRA...]
  bosun admission manifests [--namespace bosun-system] [--image IMAGE] [--cert-manager] [--config bosun.yaml]
                        [--replicas 3] [--failure-policy Fail|Ignore] [-o FILE]
                        --config: bosun.yaml and the files it names (policies, signer keys, trustedRoot) go
                        into the ConfigMap, with bosun.yaml's paths rewritten to the bundled copies; the
                        resources its policies match (CREATE/UPDATE) are added to the webhook's rules
`;

export async function runAdmission(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(USAGE);
    return EXIT.passed;
  }
  switch (sub) {
    case 'serve':
      return serve(rest);
    case 'certs':
      return certs(rest);
    case 'manifests':
      return manifests(rest);
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return sub === undefined ? EXIT.badInput : EXIT.passed;
    default:
      throw new UsageError(`unknown admission command "${sub}" (serve, certs, manifests)`);
  }
}

function int(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} must be a non-negative integer, got "${value}"`);
  return n;
}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'max-in-flight': { type: 'string' },
      'namespace-labels': { type: 'boolean' },
      kubeconfig: { type: 'string' },
    },
  });
  if (values['tls-cert'] === undefined || values['tls-key'] === undefined) throw new UsageError('admission serve needs --tls-cert and --tls-key (make them with bosun admission certs)');
  const settings = await loadAdmissionSettings(values.config);
  const log = (e: Record<string, unknown>): void => void process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`);
  const namespaces = values['namespace-labels'] === true ? await watchNamespaceLabels({ ...(values.kubeconfig !== undefined && { kubeconfig: values.kubeconfig }), log }) : undefined;
  if (namespaces !== undefined) settings.namespaceLabels = namespaces.labels;
  else if (settings.namespaceSelectingPolicies !== undefined) {
    // Without the cluster's labels a namespaceSelector sees only each namespace's name label.
    log({ level: 'warn', msg: 'policies select namespaces by labels the webhook does not know without --namespace-labels', policies: settings.namespaceSelectingPolicies });
  }
  const server = await startAdmissionServer({
    pipeline: pipelineFromSettings(settings),
    tlsCertFile: values['tls-cert'],
    tlsKeyFile: values['tls-key'],
    host: values.host ?? DEFAULTS.host,
    port: int(values.port, 'port', DEFAULTS.port),
    maxBodyBytes: int(values['max-body-bytes'], 'max-body-bytes', DEFAULTS.maxBodyBytes),
    maxInFlight: int(values['max-in-flight'], 'max-in-flight', DEFAULTS.maxInFlight),
    log,
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log({ level: 'info', msg: 'shutting down', signal });
      namespaces?.stop();
      void server.close().then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return EXIT.passed;
}

async function certs(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { namespace: { type: 'string' }, service: { type: 'string' }, 'out-dir': { type: 'string' }, days: { type: 'string' }, name: { type: 'string', multiple: true } },
  });
  const namespace = values.namespace ?? 'bosun-system';
  const generated = generateWebhookCerts({ service: values.service ?? NAME, namespace, days: int(values.days, 'days', 365), extraNames: values.name ?? [] });
  const dir = values['out-dir'] ?? '.';
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'ca.crt'), generated.caCert);
  await writeFile(join(dir, 'tls.crt'), generated.cert);
  await writeFile(join(dir, 'tls.key'), generated.key, { mode: 0o600 });
  // The CA key is not written: nothing else is ever signed with it, so it is thrown away.
  process.stdout.write(`wrote ${join(dir, 'ca.crt')}, ${join(dir, 'tls.crt')}, ${join(dir, 'tls.key')}\ncaBundle: ${Buffer.from(generated.caCert).toString('base64')}\n`);
  return EXIT.passed;
}

async function manifests(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      namespace: { type: 'string' },
      image: { type: 'string' },
      'cert-manager': { type: 'boolean' },
      config: { type: 'string' },
      replicas: { type: 'string' },
      'failure-policy': { type: 'string' },
      output: { type: 'string', short: 'o' },
    },
  });
  const namespace = values.namespace ?? 'bosun-system';
  const failurePolicy = values['failure-policy'] ?? 'Fail';
  if (failurePolicy !== 'Fail' && failurePolicy !== 'Ignore') throw new UsageError(`--failure-policy must be Fail or Ignore, got "${failurePolicy}"`);
  const certManager = values['cert-manager'] === true;
  let configData: Record<string, string> | undefined;
  let rules: WebhookRule[] = [];
  if (values.config !== undefined) {
    const bundle = await bundleConfig(values.config);
    configData = bundle.data;
    const notes = [...bundle.notes];
    if (bundle.policyInputs !== undefined) {
      // Loaded as serve will load them: a broken policy is an error now, not a crash-looping Deployment.
      const derived = policyWebhookRules((await loadAdmissionPolicies(bundle.policyInputs)).policySet);
      rules = derived.rules;
      notes.push(...derived.notes);
    }
    for (const n of notes) process.stderr.write(`bosun: warning: ${n}\n`);
  }
  const { 'bosun.yaml': config, ...configFiles } = configData ?? {};
  const objects = admissionManifests({
    namespace,
    replicas: int(values.replicas, 'replicas', 3),
    failurePolicy,
    certManager,
    ...(values.image !== undefined && { image: values.image }),
    ...(config !== undefined && { config, configFiles }),
    rules,
    ...(!certManager && { certs: generateWebhookCerts({ service: NAME, namespace }) }),
  });
  await writeOutput(renderManifests(objects), values.output);
  return EXIT.passed;
}
