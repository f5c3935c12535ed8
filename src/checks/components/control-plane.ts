/**
 * Control-plane components as they appear in manifests: kubeadm-style static pods (a container
 * whose command starts with the component binary, or whose image is the component image and
 * whose args are flags), and their command-line flags.
 *
 * Flags are read as `--name=value`, `--name value` (next token not starting with `-`) or a bare
 * `--name` (boolean true); the last occurrence wins, as with the Go flag parsers the
 * components use.
 */
import type { Path } from '../../manifests/path.ts';
import { asArray, asString } from '../../manifests/path.ts';
import type { ContainerRef, Workload } from '../../manifests/workload.ts';
import type { CheckContext } from '../types.ts';
import { RecentCache, parseImage } from '../helpers.ts';

export type Component = 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'etcd' | 'kubelet';

export interface Flag {
  value: string;
  path: Path;
}

export interface ComponentContainer {
  container: ContainerRef;
  flags: Map<string, Flag>;
  /** Where a missing flag should go: the list that holds the flags. */
  flagListPath: Path;
}

interface Token {
  text: string;
  path: Path;
}

const basename = (s: string): string => s.slice(s.lastIndexOf('/') + 1);

/** Parsed once per workload being checked: ten checks read the same containers. */
const cache = new RecentCache<Workload, Component, ComponentContainer[]>();

/** Containers of the workload that run `component`, with their parsed flags. */
export function componentContainers(w: Workload, component: Component): ComponentContainer[] {
  return cache.get(w, component) ?? cache.set(w, component, findComponentContainers(w, component));
}

function findComponentContainers(w: Workload, component: Component): ComponentContainer[] {
  const out: ComponentContainer[] = [];
  for (const c of w.containers) {
    // Cheap test first: most containers run none of the components.
    const firstCommand = firstToken(c.container['command']);
    const head = firstCommand ?? firstToken(c.container['args']);
    const imageText = asString(c.container['image']) ?? '';
    // The repository's last segment is part of the image text: no match there, no parsing.
    if (!(head !== undefined && basename(head) === component) && !(firstCommand === undefined && imageText.includes(component) && basename(parseImage(imageText).repository) === component)) continue;
    const command = tokens(c, 'command');
    const args = tokens(c, 'args');
    const all = [...command, ...args];
    const first = all[0];
    const image = parseImage(asString(c.container['image']) ?? '');
    let flagTokens: Token[];
    if (first !== undefined && basename(first.text) === component) flagTokens = all.slice(1);
    else if (command.length === 0 && basename(image.repository) === component) flagTokens = args;
    else continue;
    const listKey = args.length > 0 || command.length === 0 ? 'args' : 'command';
    out.push({ container: c, flags: parseFlags(flagTokens), flagListPath: [...c.path, listKey] });
  }
  return out;
}

/** The text of the first token `tokens` would give, without building them. */
function firstToken(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const v of list) if (typeof v === 'string' || typeof v === 'number') return String(v);
  return undefined;
}

function tokens(c: ContainerRef, key: 'command' | 'args'): Token[] {
  return asArray(c.container[key]).flatMap((v, i) => (typeof v === 'string' || typeof v === 'number' ? [{ text: String(v), path: [...c.path, key, i] }] : []));
}

export function parseFlags(list: readonly Token[]): Map<string, Flag> {
  const flags = new Map<string, Flag>();
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    if (!t.text.startsWith('-')) continue;
    const body = t.text.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq !== -1) {
      flags.set(body.slice(0, eq), { value: body.slice(eq + 1), path: t.path });
      continue;
    }
    const next = list[i + 1];
    if (next !== undefined && !next.text.startsWith('-')) {
      flags.set(body, { value: next.text, path: t.path });
      i++;
    } else flags.set(body, { value: 'true', path: t.path });
  }
  return flags;
}

/** Comma-separated flag value as a list (`--authorization-mode=Node,RBAC`). */
export function flagList(flag: Flag | undefined): string[] {
  return flag === undefined ? [] : flag.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** Report a problem with `name`: at the flag when present, else where the flags are listed. */
export function reportFlag(ctx: CheckContext, cc: ComponentContainer, name: string, message: string, severity?: 'critical' | 'high' | 'medium' | 'low', key = name): void {
  const path = cc.flags.get(name)?.path ?? cc.flagListPath;
  ctx.report(path, `${cc.container.name}: ${message}`, { key, ...(severity !== undefined && { severity }) });
}

/** Runs `fn` for every container of the workload that runs `component`. */
export function forComponent(ctx: CheckContext, component: Component, fn: (cc: ComponentContainer) => void): void {
  if (ctx.workload === undefined) return;
  for (const cc of componentContainers(ctx.workload, component)) fn(cc);
}

/** A missing or empty flag that should point at a file. */
export function requireFlags(ctx: CheckContext, cc: ComponentContainer, names: readonly string[], severity?: 'high' | 'medium' | 'low'): void {
  for (const name of names) {
    const flag = cc.flags.get(name);
    if (flag === undefined || flag.value === '' || flag.value === 'true') reportFlag(ctx, cc, name, `--${name} is not set`, severity);
  }
}
