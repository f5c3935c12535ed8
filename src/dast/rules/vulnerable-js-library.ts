/**
 * ZAP 10003 Vulnerable JS Library (Medium; the risk follows the Retire.js severity, as in ZAP's
 * retire add-on): a script whose URL, file name, banner or hash identifies a library version with
 * published vulnerabilities. Data: bosun's built-in Retire.js repository (js-vulns/builtin.ts), or
 * the file given with --js-vulns (Retire.js's full `jsrepository.json`).
 * Reads: the request URL of scripts, JavaScript response bodies.
 */
import { SEVERITY_RANK, type Severity } from '../../core/finding.ts';
import { BUILTIN_JS_VULNS, BUILTIN_JS_VULNS_UPDATED } from '../js-vulns/builtin.ts';
import { compareVersions, compileRepository, detectLibraries, loadRepositoryFile, riskOf, type CompiledRepository } from '../js-vulns/repository.ts';
import { isJavaScript, type HttpMessage } from '../message.ts';
import { BOSUN_SETTINGS, defineRule, type Alert, type RuleSettings } from '../rule.ts';

let builtin: CompiledRepository | undefined;

/** The repository the scan uses: --js-vulns's file, else the built-in data. */
export function jsRepository(settings: RuleSettings): CompiledRepository {
  const file = settings.get(BOSUN_SETTINGS.jsVulns);
  if (file !== undefined) return loadRepositoryFile(file);
  builtin ??= compileRepository(BUILTIN_JS_VULNS, 'bosun built-in JS vulnerability data', new Date(`${BUILTIN_JS_VULNS_UPDATED}T00:00:00Z`));
  return builtin;
}

function isScript(msg: HttpMessage): boolean {
  return isJavaScript(msg) || msg.request.url.pathname.endsWith('.js');
}

export const vulnerableJsLibrary = defineRule({
  id: 'DAST-VULNERABLE-JS-LIBRARY',
  zapId: 10003,
  title: 'Vulnerable JS Library',
  severity: 'medium',
  description: 'The page loads a JavaScript library version with published vulnerabilities (Retire.js data).',
  remediation: 'Upgrade the library to a version that fixes the listed vulnerabilities (the first fixed version is given), or remove it.',
  fields: ['request URL of scripts', 'JavaScript response body (banner, SHA-1)'],
  applies: { status: [1, 2] },
  scan(msg, settings) {
    if (!isScript(msg) || msg.response.status >= 300) return [];
    const out: Alert[] = [];
    for (const d of detectLibraries(jsRepository(settings), msg.request.url, isJavaScript(msg) ? msg.response.body : undefined)) {
      if (d.vulnerabilities.length === 0) continue;
      let risk: Severity = 'info';
      for (const v of d.vulnerabilities) if (SEVERITY_RANK[riskOf(v.severity)] > SEVERITY_RANK[risk]) risk = riskOf(v.severity);
      const ids = [...new Set(d.vulnerabilities.flatMap((v) => v.identifiers?.CVE ?? []))];
      const fixed = d.vulnerabilities.map((v) => v.below).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
      out.push({
        risk,
        param: d.library,
        evidence: d.evidence,
        detail: `${d.library} ${d.version}: ${ids.length > 0 ? ids.join(', ') : `${d.vulnerabilities.length} known vulnerabilities`} (fixed in ${fixed} or later)`,
      });
    }
    return out;
  },
});
