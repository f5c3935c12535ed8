/**
 * Loading manifests: files, directories (recursive), stdin, in-memory content.
 * Multi-document YAML, JSON, lists (any object with an `items` list, as kubectl reads them) and
 * `kubectl get -o json|yaml` output are unwrapped.
 * A bad document becomes an InputError naming file:line; everything else is still loaded.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { join, extname, resolve } from 'node:path';
import type { InputError } from '../core/finding.ts';
import { BosunError, errorMessage } from '../core/errors.ts';
import { asArray, asString, isObject, type Path } from './path.ts';
import { metadataOf, stringMap, type Resource, type SourceFile } from './resource.ts';
import { extractWorkload } from './workload.ts';
import { DEFAULT_PARSE_LIMITS, LineIndex, YamlParseError, parseDocumentsLazily, splitDocuments, type ParseLimits, type SourceDoc } from './yaml.ts';

/** A path, `-` for stdin, or content given directly (editors, tests, the admission webhook). */
export type ManifestInput = string | { name: string; content: string };

export interface LoadOptions {
  /** Largest file accepted, in bytes (default 256 MiB). The whole file is held in memory while parsed. */
  maxFileBytes?: number;
  limits?: ParseLimits;
  /** Read for `-`; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Directory walks leave out what this returns true for (absolute paths); named files are always read. */
  exclude?: (absolutePath: string) => boolean;
}

export interface LoadResult {
  files: SourceFile[];
  resources: Resource[];
  errors: InputError[];
  /** Documents that are not Kubernetes objects (no apiVersion/kind), plus empty documents. */
  skippedDocuments: number;
}

export const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** bosun's own config is YAML too, but never a manifest. */
const SKIPPED_FILES = new Set(['bosun.yaml', 'bosun.yml']);

export async function loadManifests(inputs: readonly ManifestInput[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { files: [], resources: [], errors: [], skippedDocuments: 0 };
  for (const input of inputs) {
    if (typeof input !== 'string') {
      addSource(result, input.name, input.content, options);
      continue;
    }
    if (input === '-') {
      const text = await readStdin(options.stdin ?? process.stdin, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
      addSource(result, '<stdin>', text, options);
      continue;
    }
    let info;
    try {
      info = await stat(input);
    } catch (err) {
      throw new BosunError('E_INPUT_NOT_FOUND', `${input}: no such file or directory`, { cause: err });
    }
    if (info.isDirectory()) {
      for (const file of await listManifestFiles(input, options.exclude)) await addFile(result, file, options);
    } else {
      await addFile(result, input, options);
    }
  }
  return result;
}

/**
 * Manifest files under `dir`, sorted, not following symlinked directories (no loops). `exclude`
 * is asked about every directory and file found (absolute paths); a directory it excludes is not
 * entered.
 */
export async function listManifestFiles(dir: string, exclude?: (absolutePath: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && exclude?.(resolve(path)) !== true) out.push(...(await listManifestFiles(path, exclude)));
    } else if ((entry.isFile() || entry.isSymbolicLink()) && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase()) && !SKIPPED_FILES.has(entry.name) && exclude?.(resolve(path)) !== true) {
      out.push(path);
    }
  }
  return out;
}

async function addFile(result: LoadResult, path: string, options: LoadOptions): Promise<void> {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      result.errors.push({ code: 'E_NOT_A_FILE', file: path, message: `${path}: not a regular file` });
      return;
    }
    if (info.size > max) {
      result.errors.push({ code: 'E_TOO_LARGE', file: path, message: `${path}: ${info.size} bytes is larger than the ${max}-byte limit` });
      return;
    }
    bytes = await readFile(path);
  } catch (err) {
    result.errors.push({ code: 'E_READ', file: path, message: `${path}: ${errorMessage(err)}` });
    return;
  }
  const text = decodeText(bytes);
  if (text === undefined) {
    result.errors.push({ code: 'E_BINARY', file: path, message: `${path}: binary file, not YAML or JSON` });
    return;
  }
  addSource(result, path, text, options);
}

/** UTF-8 text, or undefined for binary content (NUL bytes or invalid UTF-8). A BOM is dropped. */
export function decodeText(bytes: Uint8Array): string | undefined {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.includes(0) || !isUtf8(buf)) return undefined;
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function readStdin(stream: NodeJS.ReadableStream, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > max) throw new BosunError('E_TOO_LARGE', `<stdin>: more than the ${max}-byte limit`);
    chunks.push(buf);
  }
  const text = decodeText(Buffer.concat(chunks));
  if (text === undefined) throw new BosunError('E_BINARY', '<stdin>: binary input, not YAML or JSON');
  return text;
}

function addSource(result: LoadResult, path: string, content: string, options: LoadOptions): void {
  // js-yaml drops a leading BOM and counts offsets without it; so do we (in-memory inputs keep theirs until here)
  const text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  const source: SourceFile = { path, text, lines: new LineIndex(text) };
  result.files.push(source);
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  let docs: SourceDoc[];
  try {
    docs = parseDocumentsLazily(text, limits);
  } catch {
    // Parse document by document so one bad document spoils only itself.
    docs = [];
    for (const slice of splitDocuments(text)) {
      try {
        docs.push(...parseDocumentsLazily(text, limits, slice.start, slice.end));
      } catch (err) {
        const offset = err instanceof YamlParseError ? err.offset : slice.start;
        const { line, column } = source.lines.locate(offset);
        const reason = firstLine(errorMessage(err));
        result.errors.push({ code: 'E_PARSE', file: path, line, column, message: `${path}:${line}:${column}: ${reason}` });
      }
    }
  }
  for (const doc of docs) addDocument(result, source, doc, doc.value, []);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i === -1 ? s : s.slice(0, i)).trim();
}

/**
 * A list to kubectl: any object with an `items` array, whatever its kind (apimachinery's
 * unstructured decoder looks for `items` alone). kubectl applies the items, never the wrapper, so
 * `kind: Pod` with `items` is a list too. (`items: null` is scanned as the object itself: more
 * than kubectl applies, never less.)
 */
function isList(obj: Record<string, unknown>): boolean {
  return Array.isArray(obj['items']);
}

/**
 * An item of a list with neither kind nor apiVersion is, to kubectl, of the list's kind less its
 * `List` suffix and the list's apiVersion (`kind: PodList` items are Pods).
 */
function inferredItem(list: Record<string, unknown>, item: unknown): unknown {
  if (!isObject(item) || item['kind'] !== undefined || item['apiVersion'] !== undefined) return item;
  const kind = asString(list['kind']);
  const apiVersion = asString(list['apiVersion']);
  if (kind === undefined || apiVersion === undefined) return item;
  return { apiVersion, kind: kind.endsWith('List') ? kind.slice(0, -4) : kind, ...item };
}

function addDocument(result: LoadResult, source: SourceFile, doc: SourceDoc, value: unknown, basePath: Path): void {
  if (value === null || value === undefined) return; // an empty document (helm leaves many)
  if (!isObject(value)) {
    result.skippedDocuments++;
    return;
  }
  if (isList(value)) {
    asArray(value['items']).forEach((item, i) => addDocument(result, source, doc, inferredItem(value, item), [...basePath, 'items', i]));
    return;
  }
  if (value['items'] !== undefined && value['items'] !== null) {
    // kubectl refuses a document whose `items` is no list: so does bosun, instead of scanning the wrapper.
    const { line, column } = source.lines.locate(doc.offset);
    result.errors.push({ code: 'E_MANIFEST', file: source.path, line, column, message: `${source.path}:${line}:${column}: items is not a list (kubectl reads every object with items as a list, and refuses this one)` });
    return;
  }
  const apiVersion = asString(value['apiVersion']);
  const kind = asString(value['kind']);
  if (apiVersion === undefined || kind === undefined || apiVersion === '' || kind === '') {
    result.skippedDocuments++;
    return;
  }
  const { metadata, name, namespace } = metadataOf(value);
  result.resources.push({
    apiVersion,
    kind,
    name,
    namespace,
    object: value,
    metadata,
    labels: stringMap(metadata['labels']),
    annotations: stringMap(metadata['annotations']),
    source,
    doc,
    basePath,
    workload: extractWorkload(kind, value),
  });
}
