#!/usr/bin/env node
/** bosun's command line: parse flags → call the library → render. Exit codes: 0 passed, 1 gate failed, 2 bad input/usage, 3 internal error. */
import { BosunError, EXIT, errorMessage } from '../core/errors.ts';
import { VERSION } from '../version.ts';

const USAGE = `bosun ${VERSION}: security as code for Kubernetes

Usage:
  bosun scan [PATH...|-] [flags]   scan Kubernetes manifests (files, directories, - for stdin)
  bosun dast URL [flags]          baseline web scan with ZAP's passive rules (bosun dast --help)
  bosun rules list [--scanner manifest|image|rbac|netpol|dast|all] [--framework cis|nsa|nist-800-190|pss|mitre] [--format table|json]
  bosun rules explain ID           everything about one rule (bosun ID or a peer ID such as KSV-0017)
  bosun policy eval --expr EXPR [--input FILE] | policy validate PATH...   CEL and ValidatingAdmissionPolicy tools
  bosun compliance --framework cis-k8s|nsa|nist-800-190|pss-baseline|pss-restricted|pci-dss [PATH...] [--format table|json|markdown|html]
  bosun init [DIR] [--force]       write a commented starter bosun.yaml
  bosun db update|import PATH|status   the local OSV vulnerability store (bosun db --help)
  bosun cache info|clean [--older-than 30d]   image blobs, layer analyses, vulnerability store (bosun cache --help)
  bosun sbom scan FILE [--vex FILE]   vulnerabilities of a CycloneDX/SPDX JSON SBOM, from the local store
  bosun image scan REF [flags]     OS/language packages, secrets, hardening, licences of an image (bosun image --help)
  bosun fs scan DIR [--lockfile TYPE:PATH]   lockfiles, secrets and licences of a source tree
  bosun sbom REF|DIR --format cyclonedx|spdx   CycloneDX 1.6 / SPDX 2.3 SBOM of an image or a directory
  bosun audit scan PATH...|- | serve | policy | rules list   Kubernetes audit logs with Falco rules (bosun audit --help)
  bosun rbac who-can|can|paths|scan …   who can do what, escalation paths (bosun rbac --help)
  bosun netpol reach|matrix|scan|test|probes …   NetworkPolicy reachability (bosun netpol --help)
  bosun cluster scan [--context NAME] [--from-dump FILE]   scan a live cluster read-only (bosun cluster --help)
  bosun keygen [--prefix cosign]   cosign-compatible key pair (password from BOSUN_PASSWORD or a prompt)
  bosun sign|attest IMAGE --key KEY [--legacy-tag]   sign / attest an image and push it to the registry (bosun sign --help)
  bosun verify IMAGE --key PUB | --bundle FILE …   check signatures offline or in the registry (bosun verify --help)
  bosun admission serve|certs|manifests …   the validating admission webhook (bosun admission --help)
  bosun --version

Run 'bosun scan --help' for the scan flags.
Exit codes: 0 passed, 1 gate failed, 2 bad input or usage, 3 internal error.
`;

/**
 * Every command: one line each; the handler gets the arguments after the command name. Loaded
 * on demand so that `bosun scan` does not pay for the image, audit or DAST code at startup.
 */
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  audit: async (argv) => (await import('./audit.ts')).runAudit(argv),
  policy: async (argv) => (await import('./policy.ts')).runPolicy(argv),
  compliance: async (argv) => (await import('./compliance.ts')).runComplianceCommand(argv),
  scan: async (argv) => (await import('./scan.ts')).runScan(argv),
  dast: async (argv) => (await import('./dast.ts')).runDast(argv),
  rules: async (argv) => (await import('./rules.ts')).runRules(argv),
  init: async (argv) => (await import('./init.ts')).runInit(argv),
  db: async (argv) => (await import('./db.ts')).runDb(argv),
  cache: async (argv) => (await import('./cache.ts')).runCache(argv),
  sbom: async (argv) => (await import('./sbom.ts')).runSbomCommand(argv),
  image: async (argv) => (await import('./image.ts')).runImage(argv),
  fs: async (argv) => (await import('./image.ts')).runFs(argv),
  rbac: async (argv) => (await import('./rbac.ts')).runRbac(argv),
  netpol: async (argv) => (await import('./netpol.ts')).runNetpol(argv),
  cluster: async (argv) => (await import('./cluster.ts')).runCluster(argv),
  admission: async (argv) => (await import('./admission.ts')).runAdmission(argv),
  keygen: async (argv) => (await import('./keygen.ts')).runKeygen(argv),
  sign: async (argv) => (await import('./sign.ts')).runSign(argv),
  attest: async (argv) => (await import('./sign.ts')).runAttest(argv),
  verify: async (argv) => (await import('./verify.ts')).runVerify(argv),
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && Object.hasOwn(COMMANDS, command)) return COMMANDS[command]!(rest);
  switch (command) {
    case '--version':
    case '-v':
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return EXIT.passed;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? EXIT.badInput : EXIT.passed;
    default:
      throw new BosunError('E_USAGE', `unknown command "${command}" (try: bosun --help)`);
  }
}

/** Prints a one-line error for bad input and the stack only for internal errors. */
export function reportError(err: unknown): number {
  if (err instanceof BosunError) {
    process.stderr.write(`bosun: ${err.message}\n`);
    return err.exitCode;
  }
  const code = (err as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    process.stderr.write(`bosun: ${errorMessage(err).split('\n')[0]}\n`);
    return EXIT.badInput;
  }
  process.stderr.write(`bosun: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.internal;
}

// The reader of our output went away (`bosun rules list | head`): the writes fail with EPIPE
// (writeOutput ends quietly) and the command still exits with its own code; without a listener
// the stream's error event would kill the process.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
