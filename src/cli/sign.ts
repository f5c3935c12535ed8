/**
 * `bosun sign IMAGE --key KEY` and `bosun attest IMAGE --key KEY --type … --predicate FILE`.
 * The image is resolved to its manifest digest through the registry, and the signature is pushed
 * next to it: the bundle as an OCI 1.1 referrer (referrers API, else the merged `sha256-<hex>`
 * referrers tag) and, with `--legacy-tag`, a layer appended to `sha256-<hex>.sig` (`.att`).
 * `--output-dir DIR` writes an OCI layout instead of pushing.
 */
import { readFile } from 'node:fs/promises';
import { createPublicKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { formatReference, parseReference } from '../image/reference.ts';
import { cosignRepositoryName, PREDICATE_TYPES } from '../sign/formats.ts';
import { readPrivateKey } from '../sign/keys.ts';
import { pushSignature, RegistryWriter } from '../sign/push.ts';
import { scanPredicate, scannedDigest, signImage, writeOciLayout } from '../sign/sign.ts';
import { isIndexMediaType, platformManifests, type IndexEntry } from '../image/platform.ts';
import { readPassword } from './password.ts';

const usage = (cmd: string): string => `Usage:
  bosun ${cmd} IMAGE --key cosign.key${cmd === 'attest' ? ' --type vuln|sbom|scan --predicate FILE' : ' [-a key=value]'} [--legacy-tag] [--insecure-registry]
        [--username USER (password in BOSUN_REGISTRY_PASSWORD)] [--output-dir DIR]
${cmd === 'sign' ? 'Signs' : 'Attests'} the image's manifest digest (a tag is resolved first) with the cosign key (password from
BOSUN_PASSWORD or a prompt) and pushes it to the image's repository: the Sigstore bundle v0.3 as an
OCI 1.1 referrer (the referrers API, else the sha256-<hex> referrers tag, merged with what is there);
--legacy-tag also appends to cosign's sha256-<hex>.${cmd === 'sign' ? 'sig' : 'att'} manifest. --output-dir writes an OCI layout instead.${cmd === 'attest' ? `
--type scan takes a bosun JSON report (bosun image scan IMAGE --format json) and refuses one that is
not about IMAGE: its scanned digest must be IMAGE's manifest or, for a multi-platform image, one of
its platform manifests. The webhook wants every platform covered: attest one report per platform
(bosun image scan IMAGE --platform os/arch), all onto the same IMAGE.` : ''}
`;

export const runSign = (argv: string[]): Promise<number> => signOrAttest(argv, false);
export const runAttest = (argv: string[]): Promise<number> => signOrAttest(argv, true);

async function signOrAttest(argv: string[], attest: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      'output-dir': { type: 'string' },
      'legacy-tag': { type: 'boolean' },
      'insecure-registry': { type: 'boolean' },
      username: { type: 'string' },
      annotation: { type: 'string', short: 'a', multiple: true },
      type: { type: 'string' },
      predicate: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const cmd = attest ? 'attest' : 'sign';
  if (values.help === true) {
    process.stdout.write(usage(cmd));
    return EXIT.passed;
  }
  if (positionals.length !== 1 || values.key === undefined) throw new UsageError(usage(cmd).trimEnd());
  const registryPassword = process.env['BOSUN_REGISTRY_PASSWORD'];
  if (values.username !== undefined && registryPassword === undefined) throw new UsageError('--username needs the registry password in BOSUN_REGISTRY_PASSWORD');
  let predicateType: string | undefined;
  let predicate: unknown;
  if (attest) {
    const type = values.type;
    if (type === undefined || !Object.hasOwn(PREDICATE_TYPES, type)) throw new UsageError(`--type must be one of ${Object.keys(PREDICATE_TYPES).join(', ')}`);
    if (values.predicate === undefined) throw new UsageError('--predicate FILE is required');
    predicateType = PREDICATE_TYPES[type as keyof typeof PREDICATE_TYPES];
    try {
      predicate = JSON.parse(await readFile(values.predicate, 'utf8'));
    } catch (err) {
      throw new UsageError(`${values.predicate}: predicate is not JSON (${(err as Error).message})`);
    }
    if (type === 'scan') {
      try {
        predicate = scanPredicate(predicate, new Date());
      } catch (err) {
        throw new UsageError(`${values.predicate}: ${(err as Error).message}`);
      }
    }
  }
  const annotations: Record<string, string> = {};
  for (const a of values.annotation ?? []) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`-a must be key=value, got "${a}"`);
    annotations[a.slice(0, eq)] = a.slice(eq + 1);
  }
  const key = readPrivateKey(await readFile(values.key, 'utf8'), await readPassword({ confirm: false }));
  const image = positionals[0]!;
  const ref = parseReference(image);
  const writer = new RegistryWriter(ref, { insecure: values['insecure-registry'] === true, ...(values.username !== undefined && { credentials: { username: values.username, password: registryPassword! } }) }, image);
  // A tag is resolved to the digest once; everything after is about that digest.
  const found = await writer.getManifest(ref.digest ?? ref.tag ?? 'latest');
  if (found === undefined) throw new UsageError(`${image}: no such image on ${ref.registry}`);
  if (predicateType === PREDICATE_TYPES.scan) {
    const problem = scanSubjectProblem(scannedDigest(predicate), found);
    if (problem !== undefined) throw new UsageError(`${values.predicate}: ${problem}`);
  }
  const repository = cosignRepositoryName(ref.registry, ref.repository);
  const result = signImage(
    { repository, manifest: { mediaType: found.mediaType, digest: found.digest, size: found.data.length } },
    { key, legacy: values['legacy-tag'] === true, ...(predicateType !== undefined && { predicateType, predicate }), ...(Object.keys(annotations).length > 0 && { annotations }) },
  );
  const verb = cmd === 'sign' ? 'signed' : 'attested';
  if (values['output-dir'] !== undefined) {
    const refs = await writeOciLayout(values['output-dir'], result.items);
    process.stdout.write(`${verb} ${formatReference({ ...ref, digest: result.digest })}\n`);
    for (const r of refs) process.stdout.write(`  push: skopeo copy --preserve-digests oci:${values['output-dir']}:${r} docker://${repository}:${r}\n`);
    return EXIT.passed;
  }
  const pushed = await pushSignature(writer, result, createPublicKey(key));
  process.stdout.write(`${verb} ${formatReference({ ...ref, digest: result.digest })}\n`);
  for (const w of pushed.wrote) process.stdout.write(`  pushed ${w}\n`);
  if (pushed.referrers === 'tag') process.stdout.write(`  (${ref.registry} has no referrers API: the referrer is listed in the ${result.digest.replace(':', '-')} tag)\n`);
  return EXIT.passed;
}

/**
 * A scan report may be attested only onto the image it scanned: the resolved manifest itself or,
 * when that is an index, one of its platform manifests (not a buildx attestation manifest).
 */
function scanSubjectProblem(scanned: string | undefined, found: { digest: string; mediaType: string; json: Record<string, unknown> }): string | undefined {
  if (scanned === found.digest) return undefined;
  const entries = isIndexMediaType(found.mediaType) && Array.isArray(found.json['manifests']) ? platformManifests(found.json['manifests'] as IndexEntry[]) : [];
  if (scanned !== undefined && entries.some((e) => e.digest === scanned)) return undefined;
  return `the report scanned ${String(scanned)}, which is neither the image ${found.digest}${isIndexMediaType(found.mediaType) ? ' nor one of its platform manifests' : ''}; attest a scan of this image`;
}
