/** The inventory model shared by image, filesystem and lockfile scans. */

/** PURL types (https://github.com/package-url/purl-spec): the ecosystem of a package. */
export const ECOSYSTEMS = ['deb', 'apk', 'rpm', 'npm', 'pypi', 'golang', 'cargo', 'maven', 'gem', 'composer', 'nuget'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

export interface OsInfo {
  /** os-release `ID`: debian, ubuntu, alpine, rhel, … */
  family: string;
  /** os-release `VERSION_ID` (or the release file's version). */
  version: string;
  name?: string;
  codename?: string;
}

export interface Package {
  name: string;
  version: string;
  ecosystem: Ecosystem;
  purl: string;
  /** The source package vulnerability data is keyed on (dpkg Source:, apk origin, rpm SOURCERPM). */
  source?: { name: string; version: string };
  /** SPDX expressions (normalised where the metadata allowed it). */
  licenses: string[];
  /** Diff ID of the layer the package's metadata came from. */
  layer?: string;
  /** Path of the file the package was read from (inside the image, or relative to the scanned directory). */
  path: string;
  arch?: string;
  /** rpm epoch; dpkg keeps it inside the version. */
  epoch?: number;
  /** Names of the packages this one depends on, where the source records it. */
  dependsOn?: string[];
  /** Go binaries: toolchain version; other per-ecosystem facts. */
  properties?: Record<string, string>;
}

/** An OCI image config, the parts bosun reads (image-spec config.md). */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  author?: string;
  config?: {
    User?: string;
    ExposedPorts?: Record<string, unknown>;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Volumes?: Record<string, unknown>;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    Healthcheck?: { Test?: string[] };
    StopSignal?: string;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; author?: string; comment?: string; empty_layer?: boolean }[];
}

/** One layer as the walker sees it. */
export interface LayerInfo {
  index: number;
  /** Compressed blob digest (absent for rootfs directories). */
  digest?: string;
  /** Uncompressed digest from the config's rootfs.diff_ids. */
  diffId?: string;
  mediaType?: string;
  size?: number;
  /** The history entry that created the layer, if the config records it. */
  createdBy?: string;
}
