/**
 * `REF` → an image source: `oci-layout:`, `oci-archive:`, `docker-archive:`, `rootfs:`, a path
 * of an existing `.tar` file (docker-archive or oci-archive, told apart by its members), else a
 * registry reference.
 */
import { BosunError } from '../../core/errors.ts';
import { hostPlatform } from '../platform.ts';
import { existsSync, statSync } from 'node:fs';
import { openArchive } from './docker-archive.ts';
import { openOciArchive } from './oci-archive.ts';
import { openOciLayout } from './oci-layout.ts';
import { openRegistryImage, type RegistryOptions } from './registry.ts';
import { openRootfs } from './rootfs.ts';
import type { ImageSource, Platform } from './types.ts';

export interface OpenOptions extends RegistryOptions {
  platform?: Platform;
}

export async function openImage(ref: string, options: OpenOptions = {}): Promise<ImageSource> {
  const platform = options.platform ?? hostPlatform();
  if (ref.startsWith('oci-layout:')) return openOciLayout(ref.slice('oci-layout:'.length), platform, ref);
  if (ref.startsWith('oci:')) return openOciLayout(ref.slice('oci:'.length), platform, ref);
  if (ref.startsWith('oci-archive:')) return openOciArchive(ref.slice('oci-archive:'.length), platform, ref);
  if (ref.startsWith('docker-archive:')) return openArchive(ref.slice('docker-archive:'.length), platform, ref);
  if (ref.startsWith('rootfs:')) return openRootfs(ref.slice('rootfs:'.length), ref);
  if (ref.startsWith('registry:')) return openRegistryImage(ref.slice('registry:'.length), platform, options);
  if (/\.tar(:[^/]+)?$/.test(ref) && isTarPath(ref)) return openArchive(ref, platform, ref);
  if (ref === '') throw new BosunError('E_USAGE', 'image scan: empty image reference');
  return openRegistryImage(ref, platform, options);
}

/** `FILE.tar` or `FILE.tar:NAME` naming an existing file (a registry reference never ends in `.tar`). */
function isTarPath(ref: string): boolean {
  const file = ref.replace(/(\.tar):[^/]+$/, '$1');
  return existsSync(file) && statSync(file).isFile();
}
