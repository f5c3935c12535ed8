/** A field path inside an object: keys and array indexes. */
export type Path = ReadonlyArray<string | number>;

/** Keys that print bare in a field path: identifier-like (`securityContext`, `ephemeral-storage`). */
function isPlainKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    if (letter) continue;
    if (i > 0 && ((c >= 48 && c <= 57) || c === 45)) continue;
    return false;
  }
  return true;
}

/** `spec.template.spec.containers[0].securityContext.privileged`; odd keys are quoted: `metadata.annotations["a.b/c"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const part of path) out = appendPath(out, part);
  return out;
}

/** `formatted` (a formatPath result) extended by one step. */
export function appendPath(formatted: string, part: string | number): string {
  if (typeof part === 'number') return `${formatted}[${part}]`;
  if (isPlainKey(part)) return formatted === '' ? part : `${formatted}.${part}`;
  return `${formatted}[${JSON.stringify(part)}]`;
}

/** Value at `path`, or undefined when any step is missing. */
export function getPath(root: unknown, path: Path): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A label/annotation map: string values kept, scalars stringified, anything else dropped. Do not modify the result. */
export function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  // Usually every value is a string already: then the map is the object itself (read-only by convention).
  let allStrings = true;
  for (const k in value) {
    if (typeof value[k] !== 'string') {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return value as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (v !== null && v !== undefined && typeof v !== 'object') out[k] = String(v);
  }
  return out;
}

/** A formatted path prefix and its one-step extensions (see PathTexts). */
export interface PathText {
  readonly text: string;
  children: Map<string | number, PathText> | undefined;
}

/**
 * Formatted field paths shared by the findings of a whole scan: each distinct path's text is
 * built once, instead of once per finding (125k findings of a large scan use a few hundred
 * distinct paths, and every string a finding keeps must be copied by the garbage collector).
 */
export class PathTexts {
  readonly root: PathText = { text: '', children: undefined };

  /** `node`'s path extended by one step. */
  child(node: PathText, part: string | number): PathText {
    const children = (node.children ??= new Map());
    let next = children.get(part);
    if (next === undefined) {
      next = { text: appendPath(node.text, part), children: undefined };
      children.set(part, next);
    }
    return next;
  }
}
