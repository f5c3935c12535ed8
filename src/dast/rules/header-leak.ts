/** Shared shape of the rules that report a response header leaking implementation details. */
import type { Severity } from '../../core/finding.ts';
import { headerAll } from '../message.ts';
import { defineRule, type Alert, type DastRule } from '../rule.ts';

/** A rule that reports every occurrence of the named headers, with the header line as evidence. */
export function headerLeak(id: string, zapId: number, title: string, severity: Severity, headers: readonly string[], description: string, remediation: string): DastRule {
  const names = headers.map((h) => [h, h.toLowerCase()] as const);
  return defineRule({
    id,
    zapId,
    title,
    severity,
    description,
    remediation,
    fields: headers.map((h) => `response header ${h}`),
    scan(msg) {
      const out: Alert[] = [];
      for (const [h, lower] of names) for (const v of headerAll(msg.response.headers, lower)) out.push({ param: lower, evidence: `${h}: ${v}` });
      return out;
    },
  });
}
