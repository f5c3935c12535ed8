/** The checks an image scan runs over its inventory, config and files: secrets, hardening, licences. */
import type { BosunConfig } from '../config/types.ts';
import type { Finding } from '../core/finding.ts';
import type { Analyzer } from './analyzers/types.ts';
import type { Inventory } from './inventory.ts';
import type { ImageMetadata } from './report.ts';
import type { ImageSource } from './sources/types.ts';
import type { WalkResult } from './walker.ts';

export interface ImageCheckContext {
  config: BosunConfig;
  scanners: Set<string>;
  source: ImageSource;
  image: ImageMetadata;
  inventory: Inventory;
  walk: WalkResult;
}

export interface ImageCheckSet {
  /** Extra analyzers the checks need during the walk (the secret scanner). */
  analyzers: Analyzer[];
  run(ctx: ImageCheckContext): Finding[];
}

export function imageChecks(_base: { config: BosunConfig; scanners: Set<string> }): ImageCheckSet {
  return { analyzers: [], run: () => [] };
}
