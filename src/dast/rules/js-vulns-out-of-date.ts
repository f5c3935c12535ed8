/**
 * ZAP 10116 "ZAP is Out of Date" (Medium in ZAP's table; its risk grows with how far behind the
 * installation is). bosun's equivalent is the data that can go stale under a scan: the Retire.js
 * data rule 10003 matches scripts against. Older than 180 days is Low, than a year Medium, than
 * two years High. The age is the built-in data's review date, or the modification time of the
 * --js-vulns file. Reported once, on the scan's target URL.
 * Reads: the JS vulnerability data's date, the scan's clock.
 */
import type { Severity } from '../../core/finding.ts';
import { BOSUN_SETTINGS, defineRule, nowOf } from '../rule.ts';
import { jsRepository } from './vulnerable-js-library.ts';

const DAY = 24 * 3600 * 1000;
export const STALE_AFTER_DAYS = 180;

export const jsVulnsOutOfDate = defineRule({
  id: 'DAST-JS-VULNS-OUT-OF-DATE',
  zapId: 10116,
  title: 'JS Vulnerability Data is Out of Date',
  severity: 'medium',
  description: 'The Retire.js data bosun matches scripts against is old, so recently published vulnerable library versions are not reported (bosun\'s counterpart of ZAP\'s "ZAP is Out of Date").',
  remediation: 'Upgrade bosun, or pass a current Retire.js jsrepository.json with --js-vulns.',
  fields: ['JS vulnerability data date', 'scan clock'],
  scan(msg, settings) {
    if (msg.request.url.href !== settings.get(BOSUN_SETTINGS.target)) return [];
    const repo = jsRepository(settings);
    const days = Math.floor((nowOf(settings).getTime() - repo.updated.getTime()) / DAY);
    if (days <= STALE_AFTER_DAYS) return [];
    const risk: Severity = days > 730 ? 'high' : days > 365 ? 'medium' : 'low';
    return [{ risk, param: repo.source, evidence: repo.updated.toISOString().slice(0, 10), detail: `${repo.source} is ${days} days old` }];
  },
});
