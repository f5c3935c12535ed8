/**
 * bosun.yaml for a ConfigMap: in the cluster only the ConfigMap's files exist (mounted next to
 * bosun.yaml), so every file bosun.yaml names for `bosun admission serve` — `policies:` files and
 * directories, signer key files, `trustedRoot` — is read here and becomes a ConfigMap entry, and
 * bosun.yaml is rewritten to name those entries (relative paths: bosun.yaml sits beside them).
 * Files are read as the loaders read them: directories as loadPolicySet lists them, keys and the
 * trusted root as text, symlinked files followed. `exclude` and `vex` are not read by serve.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import jsyaml from 'js-yaml';
import { BosunError } from '../core/errors.ts';
import { loadConfigFile } from '../config/load.ts';
import { decodeText, listManifestFiles, type ManifestInput } from '../manifests/load.ts';

/** Kubernetes refuses ConfigMap data over 1 MiB; the margin leaves room for the rest of the object. */
export const MAX_CONFIGMAP_DATA_BYTES = 1024 * 1024 - 16 * 1024;
/** Client-side `kubectl apply` copies the object into an annotation, and annotations are limited to 256 KiB. */
const CLIENT_SIDE_APPLY_BYTES = 256 * 1024;
const CONFIG_KEY = 'bosun.yaml';

export interface ConfigBundle {
  /** ConfigMap data: bosun.yaml (rewritten when it names files) and the files, by key. */
  data: Record<string, string>;
  /** The policy files as loadAdmissionPolicies reads them in the pod, named by their paths here (for errors). */
  policyInputs: ManifestInput[] | undefined;
  notes: string[];
}

type Role = 'policy' | 'key' | 'trusted-root';

/** Reads `configPath` and the files it names; throws E_CONFIG naming a file that cannot be read, or data too large for a ConfigMap. */
export async function bundleConfig(configPath: string): Promise<ConfigBundle> {
  const config = await loadConfigFile(configPath); // validated: every path field below has the schema's shape
  const text = await readFile(configPath, 'utf8');
  const raw = (jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) ?? {}) as Record<string, any>;
  const base = dirname(resolve(configPath));
  const files = new BundledFiles(base);
  const notes: string[] = [];

  let policyInputs: ManifestInput[] | undefined;
  if (config.policies !== undefined && config.policies.length > 0) {
    const keys: string[] = [];
    policyInputs = [];
    for (const [i, entry] of config.policies.entries()) {
      const path = resolve(base, entry);
      const kind = await fileKind(path, `${configPath}: policies[${i}]`);
      for (const file of kind === 'directory' ? await listManifestFiles(path) : [path]) {
        const content = await readTextFile(file, `${configPath}: policies[${i}]`, kind === 'file');
        keys.push(files.add('policy', file, content));
        policyInputs.push({ name: file, content });
      }
    }
    if (keys.length === 0) throw new BosunError('E_CONFIG', `${configPath}: policies: ${config.policies.join(', ')} hold no policy files (.yaml, .yml, .json)`);
    raw['policies'] = keys;
  }
  const images = raw['admission']?.['images'] as Record<string, any> | undefined;
  for (const [i, signature] of ((images?.['signatures'] ?? []) as Array<Record<string, any>>).entries()) {
    for (const [j, signer] of ((signature['signers'] ?? []) as Array<Record<string, any>>).entries()) {
      const key = signer['key'];
      // Inline PEM stays in bosun.yaml, as loadAdmissionSettings reads it.
      if (typeof key !== 'string' || key.includes('-----BEGIN')) continue;
      const path = resolve(base, key);
      signer['key'] = files.add('key', path, await readTextFile(path, `${configPath}: admission.images.signatures[${i}].signers[${j}].key`, true));
    }
  }
  if (typeof images?.['trustedRoot'] === 'string') {
    const path = resolve(base, images['trustedRoot']);
    images['trustedRoot'] = files.add('trusted-root', path, await readTextFile(path, `${configPath}: admission.images.trustedRoot`, true));
  }

  // Untouched when it names no file: the user's text, comments and all. Rewritten, strings js-yaml's default schema would take for dates (`expires: 2026-03-01`) are quoted.
  const configText =
    files.size === 0
      ? text
      : `# ${basename(configPath)} as given to bosun admission manifests, with the files it names bundled into this ConfigMap\n${jsyaml.dump(raw, { lineWidth: -1, noRefs: true })}`;
  const data: Record<string, string> = { [CONFIG_KEY]: configText, ...files.data };
  const bytes = Object.entries(data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > MAX_CONFIGMAP_DATA_BYTES) {
    const largest = Object.entries(files.sources).sort((a, b) => Buffer.byteLength(data[b[0]]!) - Buffer.byteLength(data[a[0]]!))[0];
    throw new BosunError(
      'E_CONFIG',
      `${configPath}: bosun.yaml and the files it names come to ${bytes} bytes, more than a ConfigMap holds (limit ${MAX_CONFIGMAP_DATA_BYTES})${largest === undefined ? '' : `; the largest is ${largest[1]}`}`,
    );
  }
  if (bytes > CLIENT_SIDE_APPLY_BYTES) notes.push(`the ConfigMap holds ${bytes} bytes: apply it with kubectl apply --server-side or kubectl create (client-side apply stores a copy in a 256 KiB annotation)`);
  return { data, policyInputs, notes };
}

/** ConfigMap entries under keys valid for ConfigMap data (`[-._a-zA-Z0-9]+`), one per file and role. */
class BundledFiles {
  readonly data: Record<string, string> = {};
  /** Key → the path it was read from. */
  readonly sources: Record<string, string> = {};
  private readonly byPath = new Map<string, string>();
  private readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  get size(): number {
    return this.byPath.size;
  }

  /** The file's key (the same for the same file and role, so a file named twice is shipped once). */
  add(role: Role, path: string, content: string): string {
    const known = this.byPath.get(`${role}\0${path}`);
    if (known !== undefined) return known;
    const name = this.nameOf(path);
    let key = `${role}.${name}`;
    for (let n = 2; Object.hasOwn(this.data, key) || key === CONFIG_KEY; n++) key = `${role}-${n}.${name}`;
    this.byPath.set(`${role}\0${path}`, key);
    this.data[key] = content;
    this.sources[key] = path;
    return key;
  }

  /** The path relative to bosun.yaml less its `..` steps, `/` as `_`: recognisable in `kubectl get configmap`. */
  private nameOf(path: string): string {
    const rel = relative(this.base, path);
    const parts = (isAbsolute(rel) ? path : rel).split(sep).filter((p) => p !== '' && p !== '..' && p !== '.');
    const name = parts.join('_').replace(/[^-._a-zA-Z0-9]/g, '_');
    // Keys are at most 253 characters; the end of the path is what names the file.
    return name.length > 200 ? name.slice(-200) : name;
  }
}

async function fileKind(path: string, what: string): Promise<'file' | 'directory'> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return 'directory';
    if (info.isFile()) return 'file';
  } catch (err) {
    throw new BosunError('E_CONFIG', `${what}: ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String((err as Error).message)}`, { cause: err });
  }
  throw new BosunError('E_CONFIG', `${what}: ${path}: not a regular file or directory`);
}

/** The file's text; `named`: it was named itself (a missing one is an error here, as in the loaders). */
async function readTextFile(path: string, what: string, named: boolean): Promise<string> {
  let bytes: Buffer;
  try {
    if (named && !(await stat(path)).isFile()) throw new BosunError('E_CONFIG', `${what}: ${path}: not a regular file`);
    bytes = await readFile(path);
  } catch (err) {
    if (err instanceof BosunError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new BosunError('E_CONFIG', `${what}: ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(err))}`, { cause: err });
  }
  const text = decodeText(bytes);
  if (text === undefined) throw new BosunError('E_CONFIG', `${what}: ${path}: binary file; a ConfigMap's data holds text only`);
  return text;
}
