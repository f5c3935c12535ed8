/**
 * Image hardening: checks on the image config, its history (the Dockerfile as far as the image
 * remembers it), and what the walk saw (setuid files, package-manager caches). Mapped to CIS
 * Docker Benchmark section 4 ("Container Images and Build File") and NIST SP 800-190 §3.1/§4.1;
 * aliases are Trivy's DS- IDs for the same Dockerfile concept.
 */
import type { Finding } from '../../core/finding.ts';
import type { RuleMeta } from '../../core/rule.ts';
import type { Analyzer } from '../analyzers/types.ts';
import type { ImageCheckContext } from '../checks.ts';
import { makeFinding } from '../findings.ts';
import { isSecretName } from '../secrets/redact.ts';
import { imagePasswd, resolveImageUser } from './image-user.ts';

interface ImageCheck {
  meta: RuleMeta;
  run(ctx: ImageCheckContext, emit: (message: string, site?: Parameters<typeof makeFinding>[2], fieldPath?: string, key?: string) => void): void;
}

const meta = (m: Omit<RuleMeta, 'category'>): RuleMeta => ({ ...m, category: 'image-hardening' });

/** Shell commands of the history, without the `/bin/sh -c #(nop)` wrapping. */
function historyCommands(ctx: ImageCheckContext): { index: number; text: string }[] {
  return (ctx.source.config?.history ?? []).map((h, index) => ({ index, text: (h.created_by ?? '').replace(/^\/bin\/sh -c (#\(nop\)\s*)?/, '') }));
}


export const IMAGE_CHECKS: ImageCheck[] = [
  {
    // config.User empty, root, or a uid 0 as the runtime resolves it (`00`, `+0`, a name /etc/passwd gives uid 0).
    meta: meta({
      id: 'IMAGE-ROOT-USER',
      title: 'Image runs as root',
      severity: 'high',
      description: 'The image config has no USER, or its USER is uid 0 as the runtime resolves it (root, 0 or 00, or a name /etc/passwd gives uid 0), so containers start as root unless the pod overrides it. A compromised process then has root in the container and a shorter path out of it.',
      remediation: 'Add a non-root user in the Dockerfile and end with `USER <uid>` (a numeric UID lets runAsNonRoot verify it).',
      fields: ['config.User', 'etc/passwd'],
      frameworks: { cis: ['docker-4.1'], 'nist-800-190': ['3.1.2', '4.1.2'] },
      aliases: ['DS-0002', 'DS002', 'CIS-DI-0001'],
    }),
    run(ctx, emit) {
      if (ctx.source.config === undefined) return;
      const user = (ctx.source.config.config?.User ?? '').trim();
      const resolved = resolveImageUser(user, imagePasswd(ctx.walk));
      if (user === '') emit('the image config sets no USER: containers run as root', {}, 'config.User');
      else if (resolved.uid === 0 && resolved.how === 'passwd') emit(`the image config sets USER ${user}, which /etc/passwd gives uid 0: containers run as root`, {}, 'config.User');
      // `root` with no /etc/passwd entry would not start; flagged all the same, as it is written.
      else if (resolved.uid === 0 || user.split(':')[0] === 'root') emit(`the image config sets USER ${user}: containers run as root`, {}, 'config.User');
    },
  },
  {
    // config.Env entries NAME=value whose name says secret, and `|N NAME=value` build args in history.
    meta: meta({
      id: 'IMAGE-SECRET-ENV',
      title: 'Secret in ENV or build argument',
      severity: 'critical',
      description: 'An environment variable or build argument whose name says it holds a secret has a value baked into the image config or history, where anyone who can pull the image reads it.',
      remediation: 'Do not pass secrets with ENV or ARG; use BuildKit secrets (`RUN --mount=type=secret`) at build time and Kubernetes Secrets at run time.',
      fields: ['config.Env', 'history[*].created_by'],
      frameworks: { cis: ['docker-4.10'], 'nist-800-190': ['3.1.4', '4.1.4'] },
      aliases: ['DS-0031', 'DS031', 'CIS-DI-0010'],
    }),
    run(ctx, emit) {
      (ctx.source.config?.config?.Env ?? []).forEach((e, i) => {
        const eq = e.indexOf('=');
        const name = eq === -1 ? e : e.slice(0, eq);
        if (eq > 0 && e.length > eq + 1 && isSecretName(name)) emit(`ENV ${name} is set to a value in the image config (value not shown)`, {}, `config.Env[${i}]`, name);
      });
      for (const h of historyCommands(ctx)) {
        // Docker records build args of a RUN step as "|<count> NAME=value NAME2=value /bin/sh -c …".
        const m = /^\|(\d+)\s+(.*?)\s+\/bin\/sh -c /.exec(h.text) ?? /^\|(\d+)\s+(.*)$/.exec(h.text);
        if (m === null) continue;
        for (const arg of m[2]!.split(/\s+/)) {
          const name = arg.split('=')[0]!;
          if (arg.includes('=') && isSecretName(name)) emit(`build argument ${name} is recorded with its value in history step ${h.index + 1} (value not shown)`, {}, `history[${h.index}].created_by`, `arg:${name}`);
        }
      }
    },
  },
  {
    // history: `ADD http(s)://…`.
    meta: meta({
      id: 'IMAGE-ADD-REMOTE-URL',
      title: 'ADD fetches a remote URL',
      severity: 'medium',
      description: 'ADD with a URL downloads content at build time without verifying it; a compromised or changed server changes the image silently.',
      remediation: 'Download with curl/wget in a RUN step that verifies a checksum or signature, or use `ADD --checksum=sha256:…`; prefer COPY for local files.',
      fields: ['history[*].created_by'],
      frameworks: { cis: ['docker-4.9'], 'nist-800-190': ['3.1.5', '4.1.5'] },
      aliases: ['DS-0005', 'DS005', 'CIS-DI-0009'],
    }),
    run(ctx, emit) {
      for (const h of historyCommands(ctx)) {
        if (/^ADD\s+(?:--[a-z-]+(?:=\S+)?\s+)*(?:file:\S+\s+in\s+)?https?:\/\//i.test(h.text) && !/--checksum=/.test(h.text)) emit(`history step ${h.index + 1} ADDs a remote URL without --checksum`, {}, `history[${h.index}].created_by`);
      }
    },
  },
  {
    // history: `curl … | sh`, `wget -O- … | bash`.
    meta: meta({
      id: 'IMAGE-CURL-PIPE-SHELL',
      title: 'Remote script piped into a shell',
      severity: 'high',
      description: 'A build step pipes a downloaded script straight into a shell: whatever the server returns at build time runs as root in the image, unverified.',
      remediation: 'Download the script, verify its checksum or signature, then run it; or install from a signed package.',
      fields: ['history[*].created_by'],
      frameworks: { 'nist-800-190': ['3.1.3', '3.1.5', '4.1.5'] },
      aliases: [],
    }),
    run(ctx, emit) {
      for (const h of historyCommands(ctx)) {
        if (/\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:\S*\/)?(?:sh|bash|zsh|ash|dash|python[0-9.]*|perl)\b/.test(h.text)) emit(`history step ${h.index + 1} pipes a download into a shell`, {}, `history[${h.index}].created_by`);
      }
    },
  },
  {
    // config.ExposedPorts contains 22/tcp.
    meta: meta({
      id: 'IMAGE-SSH-PORT',
      title: 'SSH port exposed',
      severity: 'medium',
      description: 'The image exposes port 22: running sshd in a container adds an authentication surface and keys to manage; use kubectl exec or ephemeral debug containers instead.',
      remediation: 'Remove `EXPOSE 22` and the SSH server from the image.',
      fields: ['config.ExposedPorts'],
      frameworks: { cis: ['docker-4.1'], 'nist-800-190': ['3.1.2', '4.1.2'] },
      aliases: ['DS-0004', 'DS004'],
    }),
    run(ctx, emit) {
      for (const port of Object.keys(ctx.source.config?.config?.ExposedPorts ?? {})) {
        if (/^22(?:\/tcp)?$/.test(port)) emit(`the image exposes ${port}`, {}, 'config.ExposedPorts');
      }
    },
  },
  {
    // config.Healthcheck absent or Test = ["NONE"].
    meta: meta({
      id: 'IMAGE-NO-HEALTHCHECK',
      title: 'No HEALTHCHECK',
      severity: 'low',
      description: 'The image defines no HEALTHCHECK. Kubernetes ignores it (probes do the job), but other runtimes rely on it to notice a hung process.',
      remediation: 'Add a HEALTHCHECK instruction, and liveness/readiness probes in the pod spec.',
      fields: ['config.Healthcheck'],
      frameworks: { cis: ['docker-4.6'] },
      aliases: ['DS-0026', 'DS026', 'CIS-DI-0006'],
    }),
    run(ctx, emit) {
      if (ctx.source.config === undefined) return;
      const test = ctx.source.config.config?.Healthcheck?.Test;
      if (test === undefined || test.length === 0 || test[0] === 'NONE') emit('the image config defines no HEALTHCHECK', {}, 'config.Healthcheck');
    },
  },
  {
    // Base image named with `:latest` or no tag: the OCI base-name label, or FROM lines in history.
    meta: meta({
      id: 'IMAGE-LATEST-BASE',
      title: 'Base image by the latest tag',
      severity: 'medium',
      description: 'The image was built FROM a `latest` (or untagged) base, so rebuilding it can silently pull a different base with different packages.',
      remediation: 'Pin the base image by version tag and digest (`FROM debian:12.5@sha256:…`).',
      fields: ['config.Labels["org.opencontainers.image.base.name"]', 'history[*].created_by'],
      frameworks: { 'nist-800-190': ['3.1.5', '4.1.5'] },
      aliases: ['DS-0001', 'DS001'],
    }),
    run(ctx, emit) {
      const base = ctx.source.config?.config?.Labels?.['org.opencontainers.image.base.name'];
      const latest = (ref: string) => !ref.includes('@') && (/:latest$/.test(ref) || !/:[^/]+$/.test(ref));
      if (base !== undefined && latest(base)) emit(`the base image ${base} is not pinned to a version`, {}, 'config.Labels');
      for (const h of historyCommands(ctx)) {
        const m = /\bFROM\s+(\S+)/i.exec(h.text);
        if (m !== null && m[1] !== 'scratch' && latest(m[1]!)) emit(`history step ${h.index + 1} builds FROM ${m[1]}, not pinned to a version`, {}, `history[${h.index}].created_by`);
      }
    },
  },
  {
    // Regular files with mode bits 04000 (setuid) or 02000 (setgid) in the final filesystem.
    meta: meta({
      id: 'IMAGE-SETUID-FILE',
      title: 'setuid or setgid file',
      severity: 'medium',
      description: 'A setuid/setgid executable lets an unprivileged user run code with its owner\'s or group\'s rights: a privilege escalation path if the binary has a flaw, and rarely needed in a container.',
      remediation: 'Remove the setuid/setgid bits in the Dockerfile (`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`) or drop the packages that need them; set allowPrivilegeEscalation: false.',
      fields: ['files: mode & 06000'],
      frameworks: { cis: ['docker-4.8'], 'nist-800-190': ['3.1.2', '4.1.2'] },
      aliases: ['CIS-DI-0008'],
    }),
    run(ctx, emit) {
      for (const f of ctx.inventory.specialFiles) {
        const bits = [(f.mode & 0o4000) !== 0 ? 'setuid' : '', (f.mode & 0o2000) !== 0 ? 'setgid' : ''].filter((b) => b !== '').join('+');
        emit(`/${f.path} is ${bits} (mode ${(f.mode & 0o7777).toString(8).padStart(4, '0')})`, { path: f.path, ...(f.layer !== undefined && { layer: f.layer }) });
      }
    },
  },
  {
    // Files left in package-manager caches: apt archives and lists, apk, yum/dnf, pip, npm.
    meta: meta({
      id: 'IMAGE-PACKAGE-CACHE',
      title: 'Package-manager cache left in the image',
      severity: 'low',
      description: 'Package-manager caches and indexes left in a layer make the image bigger and keep package indexes that say nothing about what is installed.',
      remediation: 'Clean in the same RUN step: `apt-get clean && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `yum clean all`, `pip install --no-cache-dir`, `npm cache clean --force`.',
      fields: ['files under var/cache/apt, var/lib/apt/lists, var/cache/apk, var/cache/yum, var/cache/dnf, root/.cache/pip, root/.npm'],
      frameworks: { cis: ['docker-4.7'] },
      aliases: ['DS-0015', 'DS-0019', 'DS-0025'],
    }),
    run(ctx, emit) {
      const totals = new Map<string, { files: number; bytes: number }>();
      for (const r of ctx.walk.results) {
        for (const c of (r.result.extra ?? []) as { cacheDir?: string; bytes?: number }[]) {
          if (c.cacheDir === undefined) continue;
          const t = totals.get(c.cacheDir) ?? { files: 0, bytes: 0 };
          t.files++;
          t.bytes += c.bytes ?? 0;
          totals.set(c.cacheDir, t);
        }
      }
      for (const [dir, t] of [...totals].sort()) emit(`/${dir} holds ${t.files} file(s), ${t.bytes} bytes`, { path: dir });
    },
  },
];

const CACHE_DIRS = ['var/cache/apt/archives', 'var/lib/apt/lists', 'var/cache/apk', 'var/cache/yum', 'var/cache/dnf', 'root/.cache/pip', 'root/.npm/_cacache'];
const CACHE_RE = new RegExp(`^(${CACHE_DIRS.map((d) => d.replace(/\./g, '\\.')).join('|')})/(?!lock$|partial/?$|auxfiles/?$)`);

/** Records files under package-manager cache directories (size only, no content). */
export const packageCacheAnalyzer: Analyzer = {
  name: 'package-cache',
  version: 1,
  maxBytes: 0,
  wants: (path, _mode, size) => size > 0 && CACHE_RE.test(path),
  analyze: (file) => ({ extra: [{ cacheDir: CACHE_RE.exec(file.path)![1], bytes: file.size }] }),
};

export function hardeningFindings(ctx: ImageCheckContext, enabled: (id: string) => boolean): Finding[] {
  const out: Finding[] = [];
  for (const check of IMAGE_CHECKS) {
    if (!enabled(check.meta.id)) continue;
    check.run(ctx, (message, site = {}, fieldPath, key) => {
      out.push(makeFinding(check.meta, ctx.image, site, message, { ...(fieldPath !== undefined && { fieldPath }), ...(key !== undefined && { key }) }));
    });
  }
  return out;
}
