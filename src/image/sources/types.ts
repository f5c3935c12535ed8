/** What every image source provides to the layer walker. */
import type { ImageConfig, LayerInfo } from '../types.ts';

export interface ImageSource {
  kind: 'registry' | 'oci-layout' | 'oci-archive' | 'docker-archive' | 'rootfs';
  /** The reference as the user gave it. */
  ref: string;
  /** Manifest digest (registry, OCI layout) or config digest (docker-archive): the image's identity. */
  digest?: string;
  /** Repository tags or names known for it (`bosun-test/app:1.0`). */
  repoTags?: string[];
  config?: ImageConfig;
  configDigest?: string;
  layers: LayerInfo[];
  /** The layer blob as stored (possibly compressed), its digest verified as it streams. */
  openLayer(index: number): AsyncIterable<Buffer>;
  /** For `rootfs:` sources: the directory to walk instead of layers. */
  directory?: string;
  close(): Promise<void>;
}

/** Manifest and index media types (OCI image-spec, Docker Image Manifest V2 Schema 2). */
export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
} as const;

export const LAYER_MEDIA_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar',
]);

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface Index {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}
