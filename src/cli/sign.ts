/**
 * `bosun sign IMAGE --key KEY` and `bosun attest IMAGE --key KEY --type … --predicate FILE`.
 * The image is resolved to its manifest digest through the registry; the signature artifacts are
 * written as an OCI layout (`--output-dir`) for pushing. Pushing from bosun itself needs registry
 * write support, which bosun's registry client does not have yet.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { RegistryClient } from '../image/sources/registry.ts';
import { formatReference, parseReference } from '../image/reference.ts';
import { descriptor, PREDICATE_TYPES, sha256Digest } from '../sign/formats.ts';
import { readPrivateKey } from '../sign/keys.ts';
import { scanPredicate, signImage, writeOciLayout } from '../sign/sign.ts';
import { readPassword } from './password.ts';

const MANIFEST_ACCEPT = ['application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');

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
      annotation: { type: 'string', short: 'a', multiple: true },
      type: { type: 'string' },
      predicate: { type: 'string' },
    },
  });
  const cmd = attest ? 'attest' : 'sign';
  if (positionals.length !== 1 || values.key === undefined) throw new UsageError(`usage: bosun ${cmd} IMAGE --key cosign.key --output-dir DIR [--legacy-tag]${attest ? ' --type vuln|sbom|scan --predicate FILE' : ' [-a key=value]'}`);
  if (values['output-dir'] === undefined) throw new UsageError(`bosun ${cmd} cannot push to the registry yet (bosun's registry client reads only): give --output-dir DIR and push it with skopeo copy --preserve-digests oci:DIR:TAG docker://REPO:TAG`);
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
  const ref = parseReference(positionals[0]!);
  const client = new RegistryClient(ref, { insecure: values['insecure-registry'] === true }, positionals[0]!);
  const { data, contentType } = await client.readSmall(`/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag ?? 'latest'}`, MANIFEST_ACCEPT);
  if (ref.digest !== undefined && sha256Digest(data) !== ref.digest) throw new UsageError(`${positionals[0]}: the registry returned a manifest with another digest`);
  const manifest = descriptor(contentType?.split(';')[0] ?? 'application/vnd.oci.image.manifest.v1+json', data);
  const repository = `${ref.registry}/${ref.repository}`;
  const result = signImage(
    { repository, manifest },
    { key, legacy: values['legacy-tag'] === true, ...(predicateType !== undefined && { predicateType, predicate }), ...(Object.keys(annotations).length > 0 && { annotations }) },
  );
  const refs = await writeOciLayout(values['output-dir'], result.items);
  process.stdout.write(`${cmd === 'sign' ? 'signed' : 'attested'} ${formatReference({ ...ref, digest: result.digest })}\n`);
  for (const r of refs) process.stdout.write(`  push: skopeo copy --preserve-digests oci:${values['output-dir']}:${r} docker://${repository}:${r}\n`);
  return EXIT.passed;
}
