/**
 * go.mod (Go modules reference, "go.mod files"): `require` entries (leading `v` dropped),
 * `replace` applied (versioned replacement swaps name and version; a local path becomes the name
 * with no version; replacing an unrequired module does nothing), a synthetic `stdlib` package
 * from `toolchain go1.x.y` or else the `go` directive. For go ≤ 1.16 modules, go.sum beside it
 * supplies the indirect dependencies go.mod did not list.
 */
import type { Package } from '../../types.ts';
import { dedupe, lockfileError, pkg, type LockfileContext } from '../lockfile-util.ts';

const DIRECTIVES = new Set(['module', 'go', 'toolchain', 'require', 'replace', 'exclude', 'retract', 'godebug', 'tool', 'ignore']);

const stripV = (v: string) => (v.startsWith('v') ? v.slice(1) : v);

export function parseGoMod(text: string, ctx: LockfileContext): Package[] {
  const requires: { path: string; version: string }[] = [];
  const replaces: { from: string; fromVersion?: string; to: string; toVersion?: string }[] = [];
  let goVersion: string | undefined;
  let toolchain: string | undefined;
  let block: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') continue;
    if (block !== undefined) {
      if (line === ')') {
        block = undefined;
        continue;
      }
      handle(block, line);
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (m === null || !DIRECTIVES.has(m[1]!)) throw lockfileError(ctx.path, `unknown directive "${line.slice(0, 40)}"`);
    if (m[2] === '(') {
      block = m[1]!;
      continue;
    }
    handle(m[1]!, m[2]!);
  }
  function handle(directive: string, args: string): void {
    const f = args.split(/\s+/).map((s) => s.replace(/^"|"$/g, ''));
    if (directive === 'go') goVersion = f[0];
    else if (directive === 'toolchain') toolchain = f[0];
    else if (directive === 'require' && f.length >= 2) requires.push({ path: f[0]!, version: stripV(f[1]!) });
    else if (directive === 'replace') {
      const arrow = f.indexOf('=>');
      if (arrow === -1) return;
      const left = f.slice(0, arrow);
      const right = f.slice(arrow + 1);
      replaces.push({ from: left[0]!, ...(left[1] !== undefined && { fromVersion: stripV(left[1]) }), to: right[0]!, ...(right[1] !== undefined && { toVersion: stripV(right[1]) }) });
    }
  }
  let out = requires.map((r) => {
    const rep = replaces.find((x) => x.from === r.path && (x.fromVersion === undefined || x.fromVersion === r.version));
    if (rep === undefined) return pkg(r.path, r.version, 'golang', ctx.path);
    const local = rep.to.startsWith('.') || rep.to.startsWith('/');
    return pkg(rep.to, local ? '' : (rep.toVersion ?? r.version), 'golang', ctx.path);
  });
  if (goVersion !== undefined && cmpGo(goVersion, '1.17') < 0) {
    const sum = ctx.readRelative(ctx.path.replace(/^.*\//, '').replace(/\.mod$/, '.sum'));
    if (sum !== undefined) {
      const have = new Set(out.map((p) => p.name));
      for (const line of sum.split('\n')) {
        const [path, version] = line.trim().split(/\s+/);
        if (path === undefined || version === undefined || version.endsWith('/go.mod') || have.has(path)) continue;
        out.push(pkg(path, stripV(version), 'golang', ctx.path));
      }
    }
  }
  const std = /^go([0-9][0-9.]*)/.exec(toolchain ?? '')?.[1] ?? goVersion;
  if (std !== undefined) out.push(pkg('stdlib', std, 'golang', ctx.path));
  out = dedupe(out);
  return out;
}

function cmpGo(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
