/**
 * `scanFilesystem`: a source tree instead of an image. The same walker and inventory, with
 * lockfile analyzers instead of installed-package ones (Trivy's rule: lockfiles in fs/repo
 * targets, installed artefacts in images, so nothing is counted twice), plus the same secret
 * and licence checks. `lockfiles` parses named files as a given type whatever their names.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { BosunError } from '../core/errors.ts';
import { applyWaivers } from '../core/suppress.ts';
import { compareFindings, type InputError } from '../core/finding.ts';
import type { Analyzer } from './analyzers/types.ts';
import { imageChecks } from './checks.ts';
import { buildInventory } from './inventory.ts';
import { lockfileTypeFor, parseLockfile, parseLockfileContent, type LockfileType } from './lockfiles.ts';
import { buildInventoryReport, type InventoryReport } from './report.ts';
import { vulnScanEnabled, vulnerabilityFindings } from './vulns.ts';
import { fileTargetFor } from '../vuln/findings.ts';
import { resolveImageConfig, IMAGE_SCANNERS, type ImageScanOptions } from './scan.ts';
import { openRootfs } from './sources/rootfs.ts';
import type { ImageSource } from './sources/types.ts';
import { walkImage } from './walker.ts';
import { purlFor } from './purl.ts';
import { comparePackages } from './inventory.ts';

export interface FsScanOptions extends Pick<ImageScanOptions, 'failOn' | 'config' | 'scanners' | 'now' | 'vulnDb'> {
  /** Extra files parsed as the given type (`--lockfile TYPE:PATH`). */
  lockfiles?: { type: LockfileType; path: string }[];
}

export const FS_SKIP_DIRS = ['.git', 'node_modules', '.hg', '.svn'];

function lockfileAnalyzer(root: string): Analyzer {
  return {
    name: 'lockfiles',
    version: 1,
    maxBytes: 256 * 1024 * 1024,
    wants: (path) => lockfileTypeFor(path) !== undefined,
    analyze(file) {
      const type = lockfileTypeFor(file.path)!;
      // npm reads npm-shrinkwrap.json instead of package-lock.json when both exist.
      if (file.path.endsWith('package-lock.json')) {
        try {
          statSync(join(root, dirname(file.path), 'npm-shrinkwrap.json'));
          return undefined;
        } catch {
          // no shrinkwrap: read the lock
        }
      }
      const dir = join(root, dirname(file.path));
      const readRelative = (rel: string) => {
        const target = resolve(dir, rel);
        if (relative(root, target).startsWith('..')) return undefined;
        try {
          return readFileSync(target, 'utf8');
        } catch {
          return undefined;
        }
      };
      return { packages: parseLockfileContent(type, file.content, file.path, readRelative) };
    },
  };
}

/** `dir` null: only the `lockfiles` named in the options. */
export async function scanFilesystem(dir: string | null, options: FsScanOptions = {}): Promise<InventoryReport> {
  const config = await resolveImageConfig(options.config);
  const source: ImageSource = dir === null ? { kind: 'rootfs', ref: '', layers: [], openLayer: () => { throw new Error('no layers'); }, close: async () => {} } : await openRootfs(dir, dir);
  const scanners = new Set(options.scanners ?? IMAGE_SCANNERS);
  const checks = imageChecks({ config, scanners, target: 'filesystem' });
  const walk = source.directory === undefined ? { results: [], persistent: [], layers: [], warnings: [] } : await walkImage(source, [lockfileAnalyzer(source.directory), ...checks.analyzers], { skipDirs: FS_SKIP_DIRS });
  const inventory = buildInventory(walk, []);
  const errors: InputError[] = [...walk.warnings];
  for (const lf of options.lockfiles ?? []) {
    try {
      for (const p of parseLockfile(lf.type, lf.path)) inventory.packages.push({ ...p, purl: purlFor(p) });
    } catch (err) {
      if (!(err instanceof BosunError)) throw err;
      errors.push({ code: err.code, file: lf.path, message: err.message });
    }
  }
  inventory.packages.sort(comparePackages);
  const image = { ref: dir ?? (options.lockfiles ?? []).map((l) => l.path).join(', '), source: 'filesystem' as const, layers: [] };
  const findings = checks.run({ config, scanners, source, image, inventory, walk });
  const vuln = { requested: options.scanners?.includes('vuln') === true, ...(options.vulnDb !== undefined && { dbPath: options.vulnDb }) };
  if (scanners.has('vuln') && vulnScanEnabled(vuln)) findings.push(...vulnerabilityFindings(inventory.packages, fileTargetFor(image.ref), vuln, inventory.os));
  const expiredWaivers = applyWaivers(findings, config.waivers, options.now ?? new Date(), config.source ?? 'bosun.yaml');
  findings.sort(compareFindings);
  return buildInventoryReport({ findings, errors, expiredWaivers, failOn: options.failOn ?? config.failOn ?? 'high', image, packages: inventory.packages });
}
