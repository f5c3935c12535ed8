/**
 * pom.xml without network: declared `<dependencies>` (and those of profiles active by default),
 * versions from `${property}` interpolation and `<dependencyManagement>`, a local parent through
 * `<relativePath>` (default `../pom.xml`) contributing properties, managed versions and
 * dependencies. Name = `groupId:artifactId`, de-duplicated on it (first wins); unresolvable
 * versions are empty; no groupId → dropped. Plugin dependencies are not the project's.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Package } from '../../types.ts';
import { isObject, lockfileError, pkg, type LockfileContext } from '../lockfile-util.ts';

interface Pom {
  props: Map<string, string>;
  managed: Map<string, string>;
  deps: { groupId: string; artifactId: string; version: string; scope?: string }[];
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (name) => name === 'dependency' || name === 'profile' });

function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function readPom(body: string, path: string): Record<string, unknown> {
  if (XMLValidator.validate(body) !== true) throw lockfileError(path, 'not valid XML');
  const doc = xml.parse(body) as Record<string, unknown>;
  const project = doc['project'];
  if (!isObject(project)) throw lockfileError(path, 'no <project> element');
  return project;
}

function depList(v: unknown): Record<string, unknown>[] {
  if (!isObject(v)) return [];
  const d = v['dependency'];
  return Array.isArray(d) ? d.filter(isObject) : [];
}

function loadPom(project: Record<string, unknown>, ctx: LockfileContext, relDir: string, depth: number): Pom {
  let parent: Pom | undefined;
  const parentEl = project['parent'];
  if (isObject(parentEl) && depth < 5) {
    const rel = text(parentEl['relativePath']) || '../pom.xml';
    const relPath = `${relDir}${rel.endsWith('.xml') ? rel : `${rel}/pom.xml`}`;
    const body = ctx.readRelative(relPath);
    if (body !== undefined) {
      try {
        parent = loadPom(readPom(body, relPath), ctx, relPath.replace(/[^/]*$/, ''), depth + 1);
      } catch {
        parent = undefined;
      }
    }
  }
  const props = new Map(parent?.props ?? []);
  const properties = project['properties'];
  if (isObject(properties)) for (const [k, v] of Object.entries(properties)) props.set(k, text(v));
  const parentVersion = isObject(parentEl) ? text(parentEl['version']) : '';
  const groupId = text(project['groupId']) || (isObject(parentEl) ? text(parentEl['groupId']) : '');
  const version = text(project['version']) || parentVersion;
  for (const [k, v] of [['project.groupId', groupId], ['project.version', version], ['project.artifactId', text(project['artifactId'])], ['project.parent.version', parentVersion], ['version', version], ['pom.version', version]] as const) {
    if (v !== '') props.set(k, v);
  }
  const interp = (s: string) => s.replace(/\$\{([^}]+)\}/g, (m, k: string) => props.get(k) ?? m);
  const managed = new Map(parent?.managed ?? []);
  const dm = project['dependencyManagement'];
  for (const d of depList(isObject(dm) ? dm['dependencies'] : undefined)) {
    const key = `${interp(text(d['groupId']))}:${interp(text(d['artifactId']))}`;
    if (text(d['scope']) !== 'import') managed.set(key, interp(text(d['version'])));
  }
  const raw = [...depList(project['dependencies'])];
  const profiles = isObject(project['profiles']) && Array.isArray(project['profiles']['profile']) ? project['profiles']['profile'].filter(isObject) : [];
  for (const p of profiles) {
    const act = p['activation'];
    if (isObject(act) && text(act['activeByDefault']) === 'true') raw.push(...depList(p['dependencies']));
  }
  const deps = [...(parent?.deps ?? [])];
  for (const d of raw) {
    const g = interp(text(d['groupId']));
    const a = interp(text(d['artifactId']));
    const v = interp(text(d['version']));
    deps.push({ groupId: g, artifactId: a, version: v, ...(text(d['scope']) !== '' && { scope: text(d['scope']) }) });
  }
  return { props, managed, deps };
}

export function parsePomXml(body: string, ctx: LockfileContext): Package[] {
  const pom = loadPom(readPom(body, ctx.path), ctx, '', 0);
  const out: Package[] = [];
  const seen = new Set<string>();
  for (const d of pom.deps) {
    if (d.groupId === '' || d.artifactId === '') continue;
    const name = `${d.groupId}:${d.artifactId}`;
    if (seen.has(name)) continue;
    seen.add(name);
    let version = d.version !== '' ? d.version : (pom.managed.get(name) ?? '');
    if (version.includes('${')) version = '';
    out.push(pkg(name, version, 'maven', ctx.path, d.scope !== undefined ? { properties: { scope: d.scope } } : {}));
  }
  return out;
}

/** Gradle dependency lockfile: `group:artifact:version=configurations`; comments and bad lines skipped. */
export function parseGradleLockfile(body: string, ctx: LockfileContext): Package[] {
  const out: Package[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=/.exec(line);
    if (m !== null) out.push(pkg(`${m[1]}:${m[2]}`, m[3]!, 'maven', ctx.path));
  }
  return out;
}
