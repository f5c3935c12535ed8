/** `bosun image scan REF` and `bosun fs scan DIR`: flags → scanImage / scanFilesystem → render. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../core/errors.ts';
import { isSeverity, type Severity } from '../core/finding.ts';
import { imageRules } from '../image/checks.ts';
import { scanFilesystem } from '../image/fs-scan.ts';
import { isLockfileType, LOCKFILE_TYPES, type LockfileType } from '../image/lockfiles.ts';
import { parsePlatform } from '../image/platform.ts';
import type { InventoryReport } from '../image/report.ts';
import { IMAGE_SCANNERS, scanImage, type ImageScanner, type ImageScanOptions } from '../image/scan.ts';
import { BlobCache } from '../image/blob-cache.ts';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../report/index.ts';
import { allRules } from '../rules.ts';
import { renderSbom, SBOM_FORMATS, type SbomFormat } from '../sbom/index.ts';
import { useColor, writeOutput } from './io.ts';

const FORMATS = [...REPORT_FORMATS, ...SBOM_FORMATS] as const;
type OutputFormat = ReportFormat | SbomFormat;

const IMAGE_HELP = `Usage: bosun image scan REF [flags]

REF is a registry reference (nginx:1.27, registry.example.com/team/app:1.2, …@sha256:…),
oci-layout:DIR[:TAG|@DIGEST], oci-archive:FILE.tar[:TAG], docker-archive:FILE.tar[:REPO:TAG],
FILE.tar (either archive, told apart by its contents) or rootfs:DIR.
Reports the OS and installed packages (dpkg, apk, rpm, npm, Python, Go binaries), secrets in
every layer and the image config, image hardening checks and denied licences.

Flags:
  -f, --format FORMAT       table|json|sarif|junit|markdown|cyclonedx|spdx (default: table on a terminal, json otherwise)
  -o, --output FILE         write the report to FILE
      --fail-on SEVERITY    critical|high|medium|low|none (default high, or bosun.yaml failOn)
      --scanners LIST       comma-separated: vuln,secret,hardening,license (default all, vuln when
                            the store from "bosun db update" exists; "" for inventory only)
      --vuln-db PATH        the vulnerability store to match against (default: the user cache store)
      --platform OS/ARCH[/VARIANT]   image of a multi-platform index (default: this host's)
      --username USER       registry user (password from --password-stdin or BOSUN_REGISTRY_PASSWORD)
      --password-stdin      read the registry password from standard input
      --insecure-registry HOST   plain HTTP for HOST (repeatable); --insecure for every registry
      --cache-dir DIR       blob and layer-analysis cache (default: $BOSUN_CACHE_DIR or ~/.cache/bosun)
      --no-layer-cache      read every layer again instead of reusing cached analysis results
      --max-layer-size SIZE decompressed bytes allowed per layer (default 16GiB; suffixes KiB MiB GiB)
      --timeout SECONDS     registry request stall timeout (default 60)
  -c, --config FILE         bosun.yaml to use (default: found by walking up from the working directory)
      --no-config           use no bosun.yaml
      --color / --no-color
`;

const FS_HELP = `Usage: bosun fs scan DIR [flags]

Scans a source tree: lockfiles (package-lock, yarn, pnpm, poetry, Pipfile.lock, requirements*.txt,
uv.lock, pdm.lock, go.mod, Cargo.lock, pom.xml, gradle.lockfile, Gemfile.lock, composer.lock,
*.deps.json, packages.lock.json) plus secrets and denied licences. .git and node_modules are skipped.

Flags:
      --lockfile TYPE:PATH  parse PATH as TYPE whatever its name (repeatable); TYPE is one of
                            ${LOCKFILE_TYPES.join(', ')}
  -f, --format FORMAT       table|json|sarif|junit|markdown|cyclonedx|spdx
  -o, --output FILE         write the report to FILE
      --fail-on SEVERITY    critical|high|medium|low|none
      --scanners LIST       comma-separated: vuln,secret,license (default all, vuln when the store exists)
      --vuln-db PATH        the vulnerability store to match against (default: the user cache store)
  -c, --config FILE / --no-config
`;

export function parseOutputFormat(value: string | undefined, output: string | undefined): OutputFormat {
  if (value === undefined) return output === undefined && process.stdout.isTTY === true ? 'table' : 'json';
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format: unknown format "${value}" (one of ${FORMATS.join(', ')})`);
  return value as OutputFormat;
}

function parseFailOn(value: string | undefined): Severity | 'none' | undefined {
  if (value === undefined) return undefined;
  if (value === 'none' || isSeverity(value)) return value;
  throw new UsageError(`--fail-on: unknown severity "${value}" (one of critical, high, medium, low, none)`);
}

function parseScanners(value: string | undefined): ImageScanner[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const s of list) if (!(IMAGE_SCANNERS as readonly string[]).includes(s)) throw new UsageError(`--scanners: unknown scanner "${s}" (one of ${IMAGE_SCANNERS.join(', ')})`);
  return list as ImageScanner[];
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB|k|m|g)?$/i.exec(text.trim());
  if (m === null) throw new UsageError(`--max-layer-size: not a size "${text}" (e.g. 2GiB)`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const mult: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  return Math.floor(Number(m[1]) * mult[unit]!);
}

/** Renders an inventory report in any report or SBOM format; the table adds an inventory header. */
export function renderInventory(report: InventoryReport, format: OutputFormat, color: boolean): string {
  if (format === 'cyclonedx' || format === 'spdx') return renderSbom(report, format);
  const text = renderReport(report, format, { rules: [...allRules(), ...imageRules()], color, baseDir: process.cwd() });
  if (format !== 'table') return text;
  const counts = new Map<string, number>();
  for (const p of report.packages) counts.set(p.ecosystem, (counts.get(p.ecosystem) ?? 0) + 1);
  const eco = [...counts].map(([e, n]) => `${e} ${n}`).join(', ');
  const os = report.os === undefined ? '' : `OS: ${report.os.name ?? `${report.os.family} ${report.os.version}`}\n`;
  const head = `${report.image.source === 'filesystem' ? 'Directory' : 'Image'}: ${report.image.ref}${report.image.digest === undefined ? '' : ` (${report.image.digest})`}\n${os}Packages: ${report.packages.length}${eco === '' ? '' : ` (${eco})`}\n\n`;
  return head + text;
}

function exitCode(report: InventoryReport): number {
  for (const e of report.errors) process.stderr.write(`bosun: ${e.message}\n`);
  if (report.errors.length > 0) return EXIT.badInput;
  return report.summary.gateFailed ? EXIT.gateFailed : EXIT.passed;
}

/** Progress on a terminal only: CI logs and JSON pipes stay quiet. */
function progress(): Pick<ImageScanOptions, 'onDownload' | 'onProgress'> {
  if (process.stderr.isTTY !== true) return {};
  let last = 0;
  const line = (s: string) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    process.stderr.write(`\r\x1b[K${s}`);
  };
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return {
    onDownload: (p) => line(`pulling ${p.digest.slice(7, 19)}: ${mib(p.bytes)}${p.total === undefined ? '' : ` / ${mib(p.total)}`}`),
    onProgress: (p) => line(`layer ${p.layer + 1}/${p.layers}: ${mib(p.bytes)} read`),
  };
}

function readPasswordStdin(): string {
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

const common = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  scanners: { type: 'string' },
  'vuln-db': { type: 'string' },
  config: { type: 'string', short: 'c' },
  'no-config': { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runImage(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(IMAGE_HELP);
    return sub === undefined ? EXIT.badInput : EXIT.passed;
  }
  if (sub !== 'scan') throw new UsageError(`image: unknown subcommand "${sub}" (try: bosun image scan REF)`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ...common,
      platform: { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'insecure-registry': { type: 'string', multiple: true },
      insecure: { type: 'boolean' },
      'cache-dir': { type: 'string' },
      'no-layer-cache': { type: 'boolean' },
      'max-layer-size': { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  if (values.help === true) {
    process.stdout.write(IMAGE_HELP);
    return EXIT.passed;
  }
  if (positionals.length !== 1) throw new UsageError('image scan: give exactly one image reference');
  if (values.config !== undefined && values['no-config'] === true) throw new UsageError('image scan: --config and --no-config cannot be used together');
  const format = parseOutputFormat(values.format, values.output);
  const failOn = parseFailOn(values['fail-on']);
  const scanners = parseScanners(values.scanners);
  const password = values['password-stdin'] === true ? readPasswordStdin() : process.env['BOSUN_REGISTRY_PASSWORD'];
  if (values.username !== undefined && password === undefined) throw new UsageError('--username needs a password: --password-stdin or BOSUN_REGISTRY_PASSWORD');
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout > 0)) throw new UsageError(`--timeout: not a positive number of seconds "${values.timeout}"`);
  const report = await scanImage(positionals[0]!, {
    ...(failOn !== undefined && { failOn }),
    ...(scanners !== undefined && { scanners }),
    ...(values['vuln-db'] !== undefined && { vulnDb: values['vuln-db'] }),
    ...(values.platform !== undefined && { platform: parsePlatform(values.platform) }),
    ...(values.username !== undefined && password !== undefined && { credentials: { username: values.username, password } }),
    ...(values.insecure === true ? { insecure: true } : values['insecure-registry'] !== undefined ? { insecure: values['insecure-registry'] } : {}),
    ...(values['cache-dir'] !== undefined && { cache: new BlobCache(values['cache-dir']) }),
    layerCache: values['no-layer-cache'] !== true,
    ...(values['max-layer-size'] !== undefined && { limits: { maxLayerBytes: parseSize(values['max-layer-size']) } }),
    ...(timeout !== undefined && { timeoutMs: timeout * 1000 }),
    config: values['no-config'] === true ? false : (values.config ?? undefined),
    ...progress(),
  });
  if (process.stderr.isTTY === true) process.stderr.write('\r\x1b[K');
  const color = values.output === undefined && format === 'table' && useColor(process.stdout, values['no-color'] === true ? false : values.color);
  await writeOutput(renderInventory(report, format, color), values.output);
  return exitCode(report);
}

function parseLockfileFlag(v: string): { type: LockfileType; path: string } {
  const i = v.indexOf(':');
  const type = i === -1 ? '' : v.slice(0, i);
  if (!isLockfileType(type)) throw new UsageError(`--lockfile: expected TYPE:PATH with TYPE one of ${LOCKFILE_TYPES.join(', ')}; got "${v}"`);
  return { type, path: v.slice(i + 1) };
}

export async function runFs(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(FS_HELP);
    return sub === undefined ? EXIT.badInput : EXIT.passed;
  }
  if (sub !== 'scan') throw new UsageError(`fs: unknown subcommand "${sub}" (try: bosun fs scan DIR)`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...common, lockfile: { type: 'string', multiple: true } } });
  if (values.help === true) {
    process.stdout.write(FS_HELP);
    return EXIT.passed;
  }
  const lockfiles = (values.lockfile ?? []).map(parseLockfileFlag);
  if (positionals.length > 1) throw new UsageError('fs scan: give one directory');
  if (positionals.length === 0 && lockfiles.length === 0) throw new UsageError('fs scan: give a directory or --lockfile TYPE:PATH');
  const format = parseOutputFormat(values.format, values.output);
  const failOn = parseFailOn(values['fail-on']);
  const scanners = parseScanners(values.scanners);
  const report = await scanFilesystem(positionals[0] ?? null, {
    ...(failOn !== undefined && { failOn }),
    ...(scanners !== undefined && { scanners }),
    ...(values['vuln-db'] !== undefined && { vulnDb: values['vuln-db'] }),
    lockfiles,
    config: values['no-config'] === true ? false : (values.config ?? undefined),
  });
  const color = values.output === undefined && format === 'table' && useColor(process.stdout, values['no-color'] === true ? false : values.color);
  await writeOutput(renderInventory(report, format, color), values.output);
  return exitCode(report);
}
