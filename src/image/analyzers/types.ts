/**
 * Analyzers, after Trivy's fanal: each declares which files it wants (`wants`, a cheap test on
 * the path and mode, called for every regular file of every layer) and turns one file into facts
 * (`analyze`). The layer walker reads each layer once and hands every wanted file to the
 * analyzers that asked; no analyzer walks a filesystem. Results are kept per path and merged
 * across layers with whiteouts applied, unless the analyzer is `persistent` (secrets: a file
 * deleted later is still in the image's history).
 */
import type { Ecosystem, OsInfo, Package } from '../types.ts';

export interface FileInfo {
  /** Normalised: relative, no leading `/` or `./`, no `..`. */
  path: string;
  mode: number;
  size: number;
}

export interface AnalyzedFile extends FileInfo {
  content: Buffer;
  /** The file was larger than the analyzer's `maxBytes` and `content` holds only its start. */
  truncated: boolean;
}

/** A licence read from a file that is not the package's own metadata (dpkg copyright files). */
export interface LicenseNote {
  ecosystem: Ecosystem;
  name: string;
  licenses: string[];
}

/** Everything an analyzer can report about one file. */
export interface AnalysisResult {
  os?: OsInfo;
  /** Lower wins when several files name the OS (os-release before debian_version). */
  osPriority?: number;
  packages?: Package[];
  licenseNotes?: LicenseNote[];
  /** Files with the setuid or setgid bit. */
  specialFiles?: { path: string; mode: number }[];
  /** Anything else (secrets use this through their own analyzer). */
  extra?: unknown[];
}

export interface Analyzer {
  /** Stable name, e.g. `dpkg`, `npm-installed`. */
  name: string;
  /** Bump when the output for the same input changes (cache keys). */
  version: number;
  /** A digest of the settings the output depends on (secret rules), for the layer cache key. */
  configKey?: string;
  wants(path: string, mode: number, size: number): boolean;
  /** Bytes of the body to read; larger files are cut (`truncated`). 0 = the header is enough. */
  maxBytes: number;
  analyze(file: AnalyzedFile): AnalysisResult | undefined;
  /** Keep results of files later deleted or replaced. */
  persistent?: boolean;
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? path : path.slice(i + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}
