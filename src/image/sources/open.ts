/** `REF` → an image source: `oci-layout:`, `docker-archive:`, `rootfs:`, else a registry reference. */
import { BosunError } from '../../core/errors.ts';
import { hostPlatform } from '../platform.ts';
import { openDockerArchive } from './docker-archive.ts';
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
  if (ref.startsWith('docker-archive:')) return openDockerArchive(ref.slice('docker-archive:'.length), ref);
  if (ref.startsWith('rootfs:')) return openRootfs(ref.slice('rootfs:'.length), ref);
  if (ref.startsWith('registry:')) return openRegistryImage(ref.slice('registry:'.length), platform, options);
  if (ref === '') throw new BosunError('E_USAGE', 'image scan: empty image reference');
  return openRegistryImage(ref, platform, options);
}
