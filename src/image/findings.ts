/** Building Findings for image and filesystem targets from rule metadata. */
import type { Finding, ImageTarget, FileTarget, Location, Severity } from '../core/finding.ts';
import { fingerprint } from '../core/fingerprint.ts';
import type { RuleMeta } from '../core/rule.ts';
import type { ImageMetadata } from './report.ts';
import type { Package } from './types.ts';

export interface FindingSite {
  path?: string;
  layer?: string;
  package?: Package;
  location?: Location;
}

export function targetFor(image: ImageMetadata, site: FindingSite): ImageTarget | FileTarget {
  const pkg = site.package === undefined ? undefined : { name: site.package.name, version: site.package.version, ecosystem: site.package.ecosystem, purl: site.package.purl };
  if (image.source === 'filesystem') {
    return { type: 'file', path: site.path ?? site.package?.path ?? image.ref, ...(pkg !== undefined && { package: pkg }) };
  }
  const t: ImageTarget = { type: 'image', image: image.ref };
  if (image.digest !== undefined) t.digest = image.digest;
  if (pkg !== undefined) t.package = pkg;
  if (site.path !== undefined) t.path = site.path;
  if (site.layer !== undefined) t.layer = site.layer;
  return t;
}

export function makeFinding(meta: RuleMeta, image: ImageMetadata, site: FindingSite, message: string, options: { severity?: Severity; fieldPath?: string; key?: string } = {}): Finding {
  const target = targetFor(image, site);
  const f: Finding = {
    ruleId: meta.id,
    severity: options.severity ?? meta.severity,
    title: meta.title,
    message,
    target,
    remediation: meta.remediation,
    frameworks: meta.frameworks,
    aliases: meta.aliases,
    fingerprint: fingerprint(meta.id, target, options.fieldPath, options.key ?? ''),
  };
  if (site.location !== undefined) f.location = site.location;
  if (options.fieldPath !== undefined) f.fieldPath = options.fieldPath;
  return f;
}
