/**
 * Kubernetes audit detection with Falco's rule language: the capability's public API.
 *
 *   rules files ──► loadRules ──► Ruleset ──► createEngine ──► process(event) ──► alerts
 *   (YAML, Falco)   (lists, macros,            (closures, per-event     (Falco text/JSON,
 *                    append/override,           field and macro cache)   bosun findings, sinks)
 *                    exceptions)
 *   log files/stdin ──► scanAuditStream (JSON lines or EventList documents, bounded memory)
 *   audit webhook   ──► startAuditServer (/k8s-audit, /falco, /metrics; bounded queue, 429)
 */
export { loadRules, ENGINE_VERSION, PLUGIN_VERSIONS, AUDIT_SOURCE, type Ruleset, type AuditRule, type LoadRulesOptions } from './loader.ts';
export { RulesError, type RulesErrorLocation } from './rules-error.ts';
export type { RulesSource } from './rules-file.ts';
export { createEngine, type AuditEngine, type EngineOptions, type MatchedAlert, type RuleMatching } from './engine.ts';
export { decodeDocument, parseTimestampNs, type AuditEvent, type DecodeError } from './event.ts';
export { FIELDS, type FieldDef, type FieldValue } from './fields.ts';
export { falcoJson, textLine, type FalcoAlert, type FalcoJsonOptions } from './output.ts';
export { PRIORITIES, parsePriority, priorityToSeverity, type Priority } from './priority.ts';
export { scanAuditStream, scanAuditFile, scanAuditLogs, readRulesSources, loadRulesFiles, type AuditScanOptions, type AuditScanStats } from './scan.ts';
export { startAuditServer, parseFalcoAlert, DEFAULT_AUDIT_PORT, type AuditServeOptions, type AuditServer } from './serve.ts';
export { createSink, AlertGate, type Sink, type SinkAlert } from './sinks.ts';
export { renderAuditPolicy } from './policy.ts';
export { alertToFinding, auditRuleId, auditRuleMeta, buildAuditReport } from './findings.ts';
export { auditConfigSchema, readAuditConfig, type AuditConfig, type SinkConfig } from './config.ts';
export { DEFAULT_RULES_YAML, DEFAULT_RULES_NAME } from './default-rules.ts';
