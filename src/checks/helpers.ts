/** Small helpers shared by checks. */
import type { Path } from '../manifests/path.ts';
import { asArray, asObject, asString } from '../manifests/path.ts';
import type { ContainerRef } from '../manifests/workload.ts';

/** Capabilities as written, upper-cased with any `CAP_` prefix removed (how container runtimes read them). */
export function normalizeCapability(cap: unknown): string {
  const upper = (typeof cap === 'string' ? cap : String(cap)).toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

export interface CapabilityEntry {
  readonly name: string;
  readonly path: Path;
}

/**
 * Remembers values derived from one owner (the workload or container being checked) for the
 * checks that follow: all checks of a resource run one after another, so only the latest owner
 * is kept. What it holds dies young instead of living, and being copied by the garbage
 * collector, for the whole scan.
 */
export class RecentCache<O extends object, K, V> {
  private owner: O | undefined;
  private values = new Map<K, V>();
  get(owner: O, key: K): V | undefined {
    return owner === this.owner ? this.values.get(key) : undefined;
  }
  set(owner: O, key: K, value: V): V {
    if (owner !== this.owner) {
      this.owner = owner;
      this.values = new Map();
    }
    this.values.set(key, value);
    return value;
  }
}

const EMPTY_CAPABILITIES: readonly CapabilityEntry[] = Object.freeze([]);
/**
 * Eight checks read the same lists of the containers of the workload being checked: the lists
 * of the last few containers are kept (a workload rarely has more), nothing beyond.
 */
const RECENT_CONTAINERS = 16;
const recentRefs: ContainerRef[] = [];
const recentLists: Array<{ add?: readonly CapabilityEntry[]; drop?: readonly CapabilityEntry[] }> = [];

/** `securityContext.capabilities.add|drop` of a container, normalised (shared, read-only). */
export function capabilityList(c: ContainerRef, which: 'add' | 'drop'): readonly CapabilityEntry[] {
  let slot = recentRefs.indexOf(c);
  if (slot === -1) {
    if (recentRefs.length === RECENT_CONTAINERS) {
      recentRefs.length = 0;
      recentLists.length = 0;
    }
    slot = recentRefs.push(c) - 1;
    recentLists.push({});
  }
  const lists = recentLists[slot]!;
  let list = lists[which];
  if (list === undefined) {
    const raw = asArray(asObject(c.securityContext['capabilities'])?.[which]);
    list = raw.length === 0 ? EMPTY_CAPABILITIES : Object.freeze(raw.map((v, i) => Object.freeze({ name: normalizeCapability(v), path: [...c.path, 'securityContext', 'capabilities', which, i] })));
    lists[which] = list;
  }
  return list;
}

const capabilitySets = new WeakMap<object, ReadonlySet<string>>();

/** A capability-list setting as a set of normalised names, built once per setting value. */
export function capabilitySet(configured: unknown): ReadonlySet<string> {
  if (!Array.isArray(configured)) return new Set();
  let set = capabilitySets.get(configured);
  if (set === undefined) capabilitySets.set(configured, (set = new Set(configured.map(normalizeCapability))));
  return set;
}

/** Image reference split into registry, repository, tag and digest (Docker's normalisation rules). */
export interface ImageRef {
  registry: string;
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const parsedImages = new Map<string, ImageRef>();

/** Cached: a manifest set names the same few images many times, and several checks parse each. */
export function parseImage(image: string): ImageRef {
  let ref = parsedImages.get(image);
  if (ref === undefined) {
    if (parsedImages.size > 10_000) parsedImages.clear(); // bound the cache on huge inputs
    ref = Object.freeze(splitImage(image));
    parsedImages.set(image, ref);
  }
  return ref;
}

function splitImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  // As docker/distribution's ParseNormalizedNamed (the kubelet's, containerd's): the first part is
  // a registry when it has a dot, a colon or capitals, or is localhost; Docker Hub's legacy host is
  // docker.io, and its one-part repositories live under library/.
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  let registry = 'docker.io';
  let repository = rest;
  if (slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first)) {
    registry = first === 'index.docker.io' ? 'docker.io' : first;
    repository = rest.slice(slash + 1);
  }
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag, digest };
}

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/**
 * A registry host as the runtime reaches it: DNS names without case, HTTPS's default port left
 * out (`a.io:443` is `a.io`), and Docker Hub's hosts as docker.io. Policies on registries compare
 * this, so no other spelling of a registry escapes them.
 */
export function canonicalRegistry(host: string): string {
  let h = host.toLowerCase();
  if (h.endsWith(':443')) h = h.slice(0, -4);
  return DOCKER_HUB_HOSTS.has(h) ? 'docker.io' : h;
}

export function containerImage(c: ContainerRef): string | undefined {
  return asString(c.container['image']);
}
