/**
 * `scanImage`: open the source → walk its layers once with every analyzer → inventory →
 * checks (secrets, image hardening, licences) → waivers → report. Reads like the steps it runs.
 */
import { EMPTY_CONFIG, type BosunConfig } from '../config/types.ts';
import { loadConfigFile, findConfigFile } from '../config/load.ts';
import { applyWaivers } from '../core/suppress.ts';
import { compareFindings, type Finding, type InputError, type Severity } from '../core/finding.ts';
import { IMAGE_ANALYZERS } from './analyzers/registry.ts';
import type { Analyzer } from './analyzers/types.ts';
import { buildInventory } from './inventory.ts';
import { formatPlatform, hostPlatform } from './platform.ts';
import { buildInventoryReport, type ImageMetadata, type InventoryReport } from './report.ts';
import { openImage, type OpenOptions } from './sources/open.ts';
import type { ImageSource } from './sources/types.ts';
import { LayerCache } from './layer-cache.ts';
import { walkImage, type WalkLimits, type WalkProgress } from './walker.ts';
import { imageChecks, type ImageCheckContext } from './checks.ts';
import { imageSettings } from './config.ts';
import { redactConfig, redactText } from './secrets/redact.ts';
import { compileSecretScanner, type SecretScanner } from './secrets/scanner.ts';
import { vulnScanEnabled, vulnerabilityFindings } from './vulns.ts';
import { imageTargetFor } from '../vuln/findings.ts';

export interface ImageScanOptions extends OpenOptions {
  failOn?: Severity | 'none';
  /** bosun.yaml: loaded, a path, or false for none; default: found from the working directory. */
  config?: BosunConfig | string | false;
  /** Which checks run: `vuln`, `secret`, `hardening`, `license` (default all; `vuln` when the store exists). */
  scanners?: ImageScanner[];
  /** The vulnerability store to match against (default: the one `bosun db update` writes). */
  vulnDb?: string;
  limits?: Partial<WalkLimits>;
  onProgress?: (p: WalkProgress) => void;
  /**
   * Per-layer analysis cache (layer-cache.ts): `true` keeps it under the blob cache's dir (or the
   * default cache dir). Off by default in the library; the CLI turns it on.
   */
  layerCache?: LayerCache | boolean;
  now?: Date;
}

export const IMAGE_SCANNERS = ['vuln', 'secret', 'hardening', 'license'] as const;
export type ImageScanner = (typeof IMAGE_SCANNERS)[number];

export async function resolveImageConfig(given: ImageScanOptions['config']): Promise<BosunConfig> {
  if (given === false) return EMPTY_CONFIG;
  if (typeof given === 'object') return given;
  if (typeof given === 'string') return loadConfigFile(given);
  const found = await findConfigFile(process.cwd());
  return found === undefined ? EMPTY_CONFIG : loadConfigFile(found);
}

export async function scanImage(ref: string, options: ImageScanOptions = {}): Promise<InventoryReport> {
  const config = await resolveImageConfig(options.config);
  const source = await openImage(ref, options);
  try {
    return await scanSource(source, config, options);
  } finally {
    await source.close();
  }
}

/** What the report says about the image; ENV values and history lines are redacted first. */
export function imageMetadata(source: ImageSource, scanner: SecretScanner, platform?: string): ImageMetadata {
  const meta: ImageMetadata = {
    ref: source.ref,
    source: source.kind,
    layers: source.layers.map((l) => ({ index: l.index, ...(l.digest !== undefined && { digest: l.digest }), ...(l.diffId !== undefined && { diffId: l.diffId }), ...(l.size !== undefined && { size: l.size }), ...(l.createdBy !== undefined && { createdBy: redactText(l.createdBy, scanner) }) })),
  };
  if (source.digest !== undefined) meta.digest = source.digest;
  if (source.configDigest !== undefined) meta.configDigest = source.configDigest;
  if (source.repoTags !== undefined && source.repoTags.length > 0) meta.repoTags = source.repoTags;
  if (platform !== undefined) meta.platform = platform;
  if (source.config?.config !== undefined) meta.config = redactConfig(source.config.config, scanner);
  return meta;
}

export async function scanSource(source: ImageSource, config: BosunConfig, options: ImageScanOptions = {}): Promise<InventoryReport> {
  const scanners = new Set(options.scanners ?? IMAGE_SCANNERS);
  const ctxBase = { config, scanners };
  const checks = imageChecks({ ...ctxBase, target: 'image' });
  const analyzers: Analyzer[] = [...IMAGE_ANALYZERS, ...checks.analyzers];
  const layerCache = options.layerCache === true ? new LayerCache(options.cache?.dir) : options.layerCache === false ? undefined : options.layerCache;
  const walk = await walkImage(source, analyzers, { ...(options.limits !== undefined && { limits: options.limits }), ...(options.onProgress !== undefined && { onProgress: options.onProgress }), ...(layerCache !== undefined && { layerCache }) });
  const inventory = buildInventory(walk, source.layers);
  const platform = source.config?.os !== undefined && source.config.architecture !== undefined ? formatPlatform({ os: source.config.os, architecture: source.config.architecture, ...(source.config.variant !== undefined && { variant: source.config.variant }) }) : source.kind === 'rootfs' ? undefined : formatPlatform(options.platform ?? hostPlatform());
  const image = imageMetadata(source, compileSecretScanner(imageSettings(config).secrets), platform);
  const ctx: ImageCheckContext = { ...ctxBase, source, image, inventory, walk };
  const findings: Finding[] = checks.run(ctx);
  const vuln = { requested: options.scanners?.includes('vuln') === true, ...(options.vulnDb !== undefined && { dbPath: options.vulnDb }) };
  if (scanners.has('vuln') && vulnScanEnabled(vuln)) findings.push(...vulnerabilityFindings(inventory.packages, imageTargetFor(source.ref, source.digest), vuln, inventory.os));
  const errors: InputError[] = [...walk.warnings];
  const expiredWaivers = applyWaivers(findings, config.waivers, options.now ?? new Date(), config.source ?? 'bosun.yaml');
  findings.sort(compareFindings);
  return buildInventoryReport({ findings, errors, expiredWaivers, failOn: options.failOn ?? config.failOn ?? 'high', image, ...(inventory.os !== undefined && { os: inventory.os }), packages: inventory.packages });
}
