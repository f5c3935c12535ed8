/** Shared helpers for the audit tests: the Falco testdata in place, and running rules over traces. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type MatchedAlert, type RuleMatching } from '../../src/audit/engine.ts';
import { decodeDocument, type AuditEvent } from '../../src/audit/event.ts';
import { loadRules, type Ruleset } from '../../src/audit/loader.ts';
import type { RulesSource } from '../../src/audit/rules-file.ts';
import { SHARED_TESTDATA } from '../helpers.ts';

export const FALCO = join(SHARED_TESTDATA, 'falco');
export const RULES_DIR = join(FALCO, 'rules');
export const EVENTS_DIR = join(FALCO, 'events');
export const STOCK_RULES = 'k8s_audit_rules.yaml';

export function rulesSource(rel: string): RulesSource {
  return { name: rel, text: readFileSync(join(RULES_DIR, rel), 'utf8') };
}

export function loadTestRules(rels: readonly string[]): Ruleset {
  return loadRules(rels.map(rulesSource));
}

/** Events of a text (JSON lines), numbered from 1, with the 1-based line each came from. */
export function eventsOf(text: string): AuditEvent[] {
  const out: AuditEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    decodeDocument(line, (obj, raw, timeNs) => out.push({ obj, raw, timeNs, num: out.length + 1, line: i + 1 }), () => undefined);
  });
  return out;
}

export function traceEvents(rel: string): AuditEvent[] {
  return eventsOf(readFileSync(join(EVENTS_DIR, rel), 'utf8'));
}

export function runTrace(ruleset: Ruleset, trace: string, ruleMatching: RuleMatching = 'first'): MatchedAlert[] {
  const engine = createEngine(ruleset, { ruleMatching, utc: true, hostname: '<hostname>' });
  return traceEvents(trace).flatMap((ev) => engine.process(ev));
}

/** A minimal audit event for field tests. */
export function event(fields: Record<string, unknown>, raw?: string): AuditEvent {
  const obj = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: 'a1', stage: 'ResponseComplete', stageTimestamp: '2024-01-02T03:04:05.123456789Z', ...fields };
  return { obj, raw: raw ?? JSON.stringify(obj), timeNs: 1704164645123456789n, num: 1 };
}

export function countByRule(alerts: readonly { rule: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of alerts) out[a.rule] = (out[a.rule] ?? 0) + 1;
  return out;
}
