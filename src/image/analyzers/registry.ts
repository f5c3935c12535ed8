/** The analyzer registry: adding an ecosystem means adding its folder and one line here. */
import { apkAnalyzer } from './apk/index.ts';
import { dpkgAnalyzer } from './dpkg/index.ts';
import { goBinaryAnalyzer } from './golang/binary.ts';
import { npmInstalledAnalyzer } from './npm/installed.ts';
import { osReleaseAnalyzer } from './os/index.ts';
import { pythonInstalledAnalyzer } from './python/metadata.ts';
import { rpmAnalyzer } from './rpm/index.ts';
import { setuidAnalyzer } from './setuid/index.ts';
import { javaArchiveAnalyzer } from './java/jar.ts';
import { cargoAuditableAnalyzer } from './rust/auditable.ts';
import { gemspecAnalyzer } from './ruby/gemspec.ts';
import { composerInstalledAnalyzer } from './php/installed.ts';
import { dotnetDepsAnalyzer } from './dotnet/installed.ts';
import type { Analyzer } from './types.ts';

/** Installed-package analyzers for images and root filesystems (Trivy: post-build artefacts only). */
export const IMAGE_ANALYZERS: readonly Analyzer[] = [
  osReleaseAnalyzer,
  dpkgAnalyzer,
  apkAnalyzer,
  rpmAnalyzer,
  npmInstalledAnalyzer,
  pythonInstalledAnalyzer,
  goBinaryAnalyzer,
  cargoAuditableAnalyzer,
  javaArchiveAnalyzer,
  gemspecAnalyzer,
  composerInstalledAnalyzer,
  dotnetDepsAnalyzer,
  setuidAnalyzer,
];
