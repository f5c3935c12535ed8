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

/** An index entry as far as telling its images apart needs. */
export interface IndexEntry {
  digest: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** Whether a manifest's media type is an index (OCI image index or Docker manifest list). */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === 'application/vnd.oci.image.index.v1+json' || mediaType === 'application/vnd.docker.distribution.manifest.list.v2+json';
}

/**
 * The images of an index a node can run. buildx's attestation manifests (annotation
 * `vnd.docker.reference.type: attestation-manifest`, platform `unknown/unknown`) hold provenance
 * and SBOMs, never run, and are left out; every other entry counts, with or without a platform.
 */
export function platformManifests<T extends IndexEntry>(entries: readonly T[]): T[] {
  return entries.filter((e) => e.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && !(e.platform?.os === 'unknown' && e.platform.architecture === 'unknown'));
}

/** `os/arch[/variant]`, or the digest when the entry names no platform. */
export function entryLabel(e: IndexEntry): string {
  return e.platform === undefined ? e.digest : formatPlatform(e.platform);
}
