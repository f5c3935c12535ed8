/** `--platform os/arch[/variant]`; default: the host's, in Go's GOOS/GOARCH names. */
import { BosunError } from '../core/errors.ts';
import type { Descriptor, Platform } from './sources/types.ts';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64' };

export function hostPlatform(): Platform {
  return { os: process.platform === 'win32' ? 'windows' : process.platform, architecture: ARCH[process.arch] ?? process.arch, ...(process.arch === 'arm64' && { variant: 'v8' }) };
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split('/');
  if (os === undefined || os === '' || architecture === undefined || architecture === '') throw new BosunError('E_USAGE', `--platform: expected os/arch[/variant], got "${text}"`);
  return { os, architecture, ...(variant !== undefined && variant !== '' && { variant }) };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant === undefined ? '' : `/${p.variant}`}`;
}

/** Picks the manifest for `want` from an index; a missing variant matches any (arm64 images often omit v8). */
export function selectPlatform(manifests: Descriptor[], want: Platform, what: string): Descriptor {
  const candidates = manifests.filter((m) => m.platform !== undefined && m.platform.os === want.os && m.platform.architecture === want.architecture);
  const exact = candidates.find((m) => want.variant === undefined || m.platform!.variant === undefined || m.platform!.variant === want.variant);
  if (exact !== undefined) return exact;
  const offered = manifests.filter((m) => m.platform !== undefined && m.platform.architecture !== 'unknown').map((m) => formatPlatform(m.platform!));
  throw new BosunError('E_IMAGE_PLATFORM', `${what}: no image for platform ${formatPlatform(want)} (available: ${offered.join(', ') || 'none'})`);
}
