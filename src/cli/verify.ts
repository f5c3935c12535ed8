/**
 * `bosun verify`: an image's stored signatures (registry), or a Sigstore bundle file (offline).
 * Exit 0 when at least one signature verifies, 1 when none does, 2 for bad input.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { verifyBundle, type SignerPolicy } from '../sign/bundle.ts';
import { SignatureError } from '../sign/errors.ts';
import { verifyImage, verifyStoredBundle, type ImageVerifyPolicy } from '../sign/image.ts';
import { sha256Digest } from '../sign/formats.ts';

export const VERIFY_USAGE = `Usage:
  bosun verify IMAGE --key cosign.pub [--key other.pub] [--rekor-key rekor.pub] [--insecure-registry]
  bosun verify IMAGE --certificate-identity ID --certificate-oidc-issuer URL --trusted-root trusted_root.json
  bosun verify --bundle FILE (--artifact FILE | --artifact-digest sha256:HEX) [--trusted-root FILE]
               (--key PUB | --certificate-identity ID --certificate-oidc-issuer URL)
Flags: --format text|json
`;

export async function runVerify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string', multiple: true },
      'certificate-identity': { type: 'string' },
      'certificate-oidc-issuer': { type: 'string' },
      'trusted-root': { type: 'string' },
      'rekor-key': { type: 'string', multiple: true },
      'fulcio-root': { type: 'string' },
      bundle: { type: 'string' },
      artifact: { type: 'string' },
      'artifact-digest': { type: 'string' },
      'insecure-registry': { type: 'boolean' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(VERIFY_USAGE);
    return EXIT.passed;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, got "${format}"`);
  const keys = await Promise.all((values.key ?? []).map((k) => readFile(k, 'utf8')));
  const identity = values['certificate-identity'];
  const issuer = values['certificate-oidc-issuer'];
  if ((identity === undefined) !== (issuer === undefined)) throw new UsageError('--certificate-identity and --certificate-oidc-issuer go together');
  if (keys.length === 0 && identity === undefined) throw new UsageError('give --key, or --certificate-identity with --certificate-oidc-issuer');
  const trustedRoot = values['trusted-root'] === undefined ? undefined : await readFile(values['trusted-root'], 'utf8');

  if (values.bundle !== undefined) {
    if (positionals.length > 0) throw new UsageError('give an IMAGE or --bundle, not both');
    return verifyBundleFile(values.bundle, { keys, identity, issuer, trustedRoot, artifact: values.artifact, artifactDigest: values['artifact-digest'], format });
  }
  if (positionals.length !== 1) throw new UsageError('verify needs one IMAGE (or --bundle FILE)');
  const policy: ImageVerifyPolicy = {
    ...(keys.length > 0 && { keys }),
    ...(identity !== undefined && { identity, issuer: issuer! }),
    ...(trustedRoot !== undefined && { trustedRoot }),
    ...(values['rekor-key'] !== undefined && { rekorKeys: await Promise.all(values['rekor-key'].map((k) => readFile(k, 'utf8'))) }),
    ...(values['fulcio-root'] !== undefined && { fulcioRoots: await readFile(values['fulcio-root'], 'utf8') }),
  };
  const result = await verifyImage(positionals[0]!, policy, { insecure: values['insecure-registry'] === true });
  if (format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(`${result.image}\n`);
    if (result.signatures.length === 0) process.stdout.write('  no signatures found\n');
    for (const s of result.signatures) process.stdout.write(`  ${s.verified ? 'verified' : 'FAILED  '} ${s.kind} ${s.source}${s.predicateType === undefined ? '' : ` (${s.predicateType})`}: ${s.detail}\n`);
  }
  return result.verified ? EXIT.passed : EXIT.gateFailed;
}

interface BundleFlags {
  keys: string[];
  identity: string | undefined;
  issuer: string | undefined;
  trustedRoot: string | undefined;
  artifact: string | undefined;
  artifactDigest: string | undefined;
  format: string;
}

async function verifyBundleFile(file: string, f: BundleFlags): Promise<number> {
  const bundle = await readFile(file, 'utf8');
  const artifact = f.artifact === undefined ? undefined : await readFile(f.artifact);
  const report = (ok: boolean, detail: string): number => {
    if (f.format === 'json') process.stdout.write(`${JSON.stringify({ bundle: file, verified: ok, detail })}\n`);
    else process.stdout.write(`${file}: ${ok ? 'verified' : 'FAILED'}: ${detail}\n`);
    return ok ? EXIT.passed : EXIT.gateFailed;
  };
  try {
    if (f.trustedRoot === undefined) {
      // A key-signed bundle without a log entry needs no trusted root.
      const digest = f.artifactDigest ?? (artifact === undefined ? undefined : sha256Digest(artifact));
      if (digest === undefined) throw new UsageError('give --artifact or --artifact-digest');
      return report(true, verifyStoredBundle(Buffer.from(bundle), digest, { keys: f.keys }));
    }
    const policies: SignerPolicy[] = f.identity !== undefined ? [{ identity: f.identity, issuer: f.issuer! }] : f.keys.map((key) => ({ key }));
    let last: SignatureError | undefined;
    for (const policy of policies) {
      try {
        const r = verifyBundle({ bundle, trustedRoot: f.trustedRoot, policy, ...(artifact !== undefined && { artifact }), ...(f.artifactDigest !== undefined && { artifactDigest: f.artifactDigest }) });
        return report(true, r.identity === undefined ? 'signed by the given key' : `signed by ${r.identity} (${r.issuer ?? ''})`);
      } catch (err) {
        if (!(err instanceof SignatureError)) throw err;
        last = err;
      }
    }
    return report(false, `${last!.code}: ${last!.message}`);
  } catch (err) {
    if (!(err instanceof SignatureError)) throw err;
    return report(false, `${err.code}: ${err.message}`);
  }
}
