/**
 * Lockfile and package-database formats for `bosun fs scan` and `--lockfile TYPE:PATH` (the
 * osv-scanner convention): a type name → parser, and which file names select which type.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BosunError } from '../core/errors.ts';
import { parseApkInstalled } from './analyzers/apk/index.ts';
import { parseCargoLock } from './analyzers/cargo/lockfile.ts';
import { parseDepsJson } from './analyzers/dotnet/deps-json.ts';
import { parseDpkgStatus } from './analyzers/dpkg/index.ts';
import { parseGoMod } from './analyzers/golang/gomod.ts';
import type { LockfileContext } from './analyzers/lockfile-util.ts';
import { parseGradleLockfile, parsePomXml } from './analyzers/maven/pom.ts';
import { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from './analyzers/npm/lockfiles.ts';
import { parseComposerLock } from './analyzers/php/composer.ts';
import { parsePdmLock, parsePipfileLock, parsePoetryLock, parseRequirements, parseUvLock } from './analyzers/python/lockfiles.ts';
import { parsePythonMetadata } from './analyzers/python/metadata.ts';
import { parseRpmDb } from './analyzers/rpm/index.ts';
import { parseGemfileLock } from './analyzers/ruby/gemfile-lock.ts';
import type { Package } from './types.ts';

export const LOCKFILE_TYPES = [
  'package-lock', 'yarn-lock', 'pnpm-lock', 'package-json', 'poetry-lock', 'pipfile-lock', 'requirements', 'uv-lock', 'pdm-lock', 'python-metadata',
  'go-mod', 'cargo-lock', 'pom-xml', 'gradle-lockfile', 'gemfile-lock', 'composer-lock', 'deps-json', 'dpkg-status', 'apk-installed', 'rpmdb',
] as const;
export type LockfileType = (typeof LOCKFILE_TYPES)[number];

type Parser = (content: Buffer, ctx: LockfileContext) => Package[];
const text = (f: (t: string, ctx: LockfileContext) => Package[]): Parser => (b, ctx) => f(b.toString('utf8').replace(/^\uFEFF/, ''), ctx);

const PARSERS: Record<LockfileType, Parser> = {
  'package-lock': text(parsePackageLock),
  'yarn-lock': text(parseYarnLock),
  'pnpm-lock': text(parsePnpmLock),
  'package-json': text(parsePackageJson),
  'poetry-lock': text(parsePoetryLock),
  'pipfile-lock': text(parsePipfileLock),
  requirements: text(parseRequirements),
  'uv-lock': text(parseUvLock),
  'pdm-lock': text(parsePdmLock),
  'python-metadata': text((t, ctx) => [parsePythonMetadata(t, ctx.path)]),
  'go-mod': text(parseGoMod),
  'cargo-lock': text(parseCargoLock),
  'pom-xml': text(parsePomXml),
  'gradle-lockfile': text(parseGradleLockfile),
  'gemfile-lock': text(parseGemfileLock),
  'composer-lock': text(parseComposerLock),
  'deps-json': text(parseDepsJson),
  'dpkg-status': text((t, ctx) => parseDpkgStatus(t, ctx.path, !/(^|\/)status\.d\//.test(ctx.path))),
  'apk-installed': text((t, ctx) => parseApkInstalled(t, ctx.path)),
  rpmdb: (b, ctx) => parseRpmDb(b, ctx.path),
};

/** The type a file name selects in a directory scan (lockfiles only: Trivy's fs/repo rule). */
export function lockfileTypeFor(path: string): LockfileType | undefined {
  const name = basename(path);
  switch (name) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return 'package-lock';
    case 'yarn.lock':
      return 'yarn-lock';
    case 'pnpm-lock.yaml':
      return 'pnpm-lock';
    case 'poetry.lock':
      return 'poetry-lock';
    case 'Pipfile.lock':
      return 'pipfile-lock';
    case 'uv.lock':
      return 'uv-lock';
    case 'pdm.lock':
      return 'pdm-lock';
    case 'go.mod':
      return 'go-mod';
    case 'Cargo.lock':
      return 'cargo-lock';
    case 'pom.xml':
      return 'pom-xml';
    case 'gradle.lockfile':
      return 'gradle-lockfile';
    case 'Gemfile.lock':
    case 'gems.locked':
      return 'gemfile-lock';
    case 'composer.lock':
      return 'composer-lock';
    case 'packages.lock.json':
      return 'deps-json';
  }
  if (/^requirements.*\.txt$/.test(name)) return 'requirements';
  if (name.endsWith('.deps.json')) return 'deps-json';
  if (name.endsWith('gradle.lockfile')) return 'gradle-lockfile';
  return undefined;
}

export function parseLockfileContent(type: LockfileType, content: Buffer, path: string, readRelative: (rel: string) => string | undefined): Package[] {
  return PARSERS[type](content, { path, readRelative });
}

/** Reads and parses one file as `type` whatever its name. */
export function parseLockfile(type: LockfileType, path: string, displayPath: string = path): Package[] {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (err) {
    throw new BosunError('E_LOCKFILE', `${displayPath}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const dir = dirname(path);
  const readRelative = (rel: string): string | undefined => {
    try {
      return readFileSync(join(dir, rel), 'utf8');
    } catch {
      return undefined;
    }
  };
  return parseLockfileContent(type, content, displayPath, readRelative);
}

export function isLockfileType(v: string): v is LockfileType {
  return (LOCKFILE_TYPES as readonly string[]).includes(v);
}
