/**
 * Licence categories as Google's licenseclassifier (and Trivy after it) names them, and the
 * severity Trivy gives each: forbidden → critical, restricted → high, reciprocal → medium,
 * notice/permissive/unencumbered → low, unknown → info.
 */
import type { Severity } from '../../core/finding.ts';

export const LICENSE_CATEGORIES = ['forbidden', 'restricted', 'reciprocal', 'notice', 'permissive', 'unencumbered', 'unknown'] as const;
export type LicenseCategory = (typeof LICENSE_CATEGORIES)[number];

const PATTERNS: [RegExp, LicenseCategory][] = [
  [/^(AGPL-|SSPL-|CPAL-|WTFPL$|CC-BY-NC-|Commons-Clause|LicenseRef-Commons-Clause)/, 'forbidden'],
  [/^(GPL-|LGPL-|CC-BY-SA-|CC-BY-ND-|QPL-|Sleepycat$|OSL-|NPL-|BCL$|EUPL-|BUSL-)/, 'restricted'],
  [/^(MPL-|EPL-|CDDL-|CPL-|APSL-|IPL-|Ruby$|FreeImage$|MS-RL$)/, 'reciprocal'],
  [/^(CC0-|Unlicense$|0BSD$|LicenseRef-public-domain$)/, 'unencumbered'],
  [/^(MIT-0$|BlueOak-)/, 'permissive'],
  [/^(MIT|Apache-|BSD-|ISC$|Zlib$|zlib-|X11$|curl$|OpenSSL$|PHP-|PSF-|Python-|Artistic-|BSL-1\.0$|AFL-|CC-BY-\d|FTL$|HPND|ImageMagick$|MS-PL$|NCSA$|PIL$|W3C|Xnet$|Zend-|Unicode-|ICU$|libpng|IJG$|Libpng$|bzip2|SGI-B|TCL$|PostgreSQL$|OFL-|UPL-|NTP$)/, 'notice'],
];

export function classifyLicense(id: string): LicenseCategory {
  for (const [re, cat] of PATTERNS) if (re.test(id)) return cat;
  return 'unknown';
}

export const CATEGORY_SEVERITY: Record<LicenseCategory, Severity> = {
  forbidden: 'critical',
  restricted: 'high',
  reciprocal: 'medium',
  notice: 'low',
  permissive: 'low',
  unencumbered: 'low',
  unknown: 'info',
};
