/** `rootfs:DIR`: an unpacked filesystem, walked in place (symlinks are never followed). */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BosunError } from '../../core/errors.ts';
import type { ImageSource } from './types.ts';

export async function openRootfs(dir: string, ref = `rootfs:${dir}`): Promise<ImageSource> {
  const abs = resolve(dir);
  const s = await stat(abs).catch(() => undefined);
  if (s === undefined || !s.isDirectory()) throw new BosunError('E_IMAGE_NOT_FOUND', `${ref}: not a directory`);
  return {
    kind: 'rootfs',
    ref,
    layers: [],
    directory: abs,
    openLayer() {
      throw new Error('rootfs sources have no layers');
    },
    close: async () => {},
  };
}
