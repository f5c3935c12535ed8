/** Falco alerts as bosun findings: one model for reports, waivers and the gate. */
import type { AuditEventTarget, ExpiredWaiver, Finding, InputError, Report, Severity } from '../core/finding.ts';
import { VERSION } from '../version.ts';
import { fingerprint } from '../core/fingerprint.ts';
import type { RuleMeta } from '../core/rule.ts';
import type { MatchedAlert } from './engine.ts';
import type { AuditRule } from './loader.ts';
import { priorityToSeverity } from './priority.ts';
import { tallyFindings } from '../core/gate.ts';

/** `Create Privileged Pod` → `audit/create-privileged-pod`. */
export function auditRuleId(ruleName: string): string {
  const slug = ruleName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `audit/${slug === '' ? 'rule' : slug}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function eventTarget(obj: Record<string, unknown>): AuditEventTarget {
  const t: AuditEventTarget = { type: 'audit-event' };
  const ref = (obj['objectRef'] ?? {}) as Record<string, unknown>;
  const user = (obj['user'] ?? {}) as Record<string, unknown>;
  const set = <K extends keyof AuditEventTarget>(k: K, v: AuditEventTarget[K] | undefined): void => {
    if (v !== undefined) t[k] = v;
  };
  set('auditId', str(obj['auditID']));
  set('verb', str(obj['verb']));
  set('user', str(user['username']));
  set('resource', str(ref['subresource']) === undefined ? str(ref['resource']) : `${String(ref['resource'])}/${String(ref['subresource'])}`);
  set('namespace', str(ref['namespace']));
  const meta = (o: unknown): Record<string, unknown> => (o !== null && typeof o === 'object' && !Array.isArray(o) ? (((o as Record<string, unknown>)['metadata'] ?? {}) as Record<string, unknown>) : {});
  // Creates of generated names (pods of a ReplicaSet) have no objectRef.name: take the response's.
  set('name', str(ref['name']) ?? str(meta(obj['responseObject'])['name']) ?? str(meta(obj['requestObject'])['name']));
  return t;
}

export function alertToFinding(a: MatchedAlert, file?: string): Finding {
  const ruleId = auditRuleId(a.rule);
  const target = eventTarget(a.event.obj);
  const f: Finding = {
    ruleId,
    severity: priorityToSeverity(a.priority),
    title: a.rule,
    message: a.message,
    target,
    fingerprint: fingerprint(ruleId, target, undefined, String(a.timeNs)),
    aliases: [a.rule],
  };
  if (file !== undefined && a.event.line !== undefined) f.location = { file, line: a.event.line, column: 1 };
  return f;
}

/** Rule metadata for SARIF and `rules list`. */
export function auditRuleMeta(rule: AuditRule): RuleMeta {
  return {
    id: auditRuleId(rule.name),
    title: rule.name,
    severity: priorityToSeverity(rule.priority),
    description: rule.desc.trim(),
    remediation: 'Review the request in the audit log; if it is expected, add an exception or append to the rule\'s allow lists in a rules file loaded after this one.',
    fields: [...new Set(rule.output.tokens.map((t) => t.def.name))],
    frameworks: {},
    aliases: [rule.name],
    category: 'audit',
  };
}

export interface AuditReportInput {
  findings: Finding[];
  errors: InputError[];
  /** Errors counted beyond those listed. */
  errorCount: number;
  events: number;
  inputs: number;
  failOn: Severity | 'none';
  expiredWaivers?: ExpiredWaiver[];
}

/** The core Report for audit findings: `resources` counts events, `files` inputs. */
export function buildAuditReport(input: AuditReportInput): Report {
  const { bySeverity, suppressed, gateFailed } = tallyFindings(input.findings, input.failOn);
  return {
    schemaVersion: 1,
    tool: { name: 'bosun', version: VERSION },
    findings: input.findings,
    errors: input.errors,
    summary: {
      resources: input.events,
      skippedDocuments: 0,
      files: input.inputs,
      findings: input.findings.length - suppressed,
      suppressed,
      bySeverity,
      errors: input.errorCount,
      expiredWaivers: input.expiredWaivers ?? [],
      failOn: input.failOn,
      gateFailed,
    },
  };
}
