/**
 * bosun Rules (`apiVersion: bosun.dev/v1`, `kind: Rule`): one CEL expression with its metadata,
 * a lighter format than ValidatingAdmissionPolicy for teams that only need "this must hold".
 * Compiled with the same Kubernetes CEL environment. Variables: `object` (the resource),
 * `podSpec` and `podMetadata` (with `podSpec: true`; the rule then runs once per pod-bearing
 * resource), `namespaceObject` (the Namespace from the inputs, or null) and `params` (spec.params).
 */
import { z } from 'zod';
import { SEVERITIES, type FrameworkMap, type Severity } from '../core/finding.ts';
import { compileCel, type CompiledCel } from './cel.ts';
import { celErrorText } from './vap.ts';

export const RULE_API_VERSION = 'bosun.dev/v1';
const RULE_VARIABLES = ['object', 'podSpec', 'podMetadata', 'namespaceObject', 'params'] as const;

const ruleSpecSchema = z.strictObject({
  title: z.string().min(1),
  severity: z.enum(SEVERITIES),
  description: z.string().optional(),
  remediation: z.string().optional(),
  match: z
    .strictObject({
      kinds: z.array(z.string().min(1)).min(1).optional(),
      apiGroups: z.array(z.string()).optional(),
      namespaces: z.array(z.string().min(1)).optional(),
      excludeNamespaces: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  podSpec: z.boolean().optional(),
  expression: z.string().min(1),
  message: z.string().optional(),
  messageExpression: z.string().optional(),
  fieldPath: z.string().optional(),
  frameworks: z.record(z.string(), z.array(z.string())).optional(),
  aliases: z.array(z.string()).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

export interface CompiledRule {
  name: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  kinds?: string[];
  apiGroups?: string[];
  namespaces?: string[];
  excludeNamespaces?: string[];
  podSpec: boolean;
  expression: CompiledCel;
  message?: string;
  messageExpression?: CompiledCel;
  fieldPath?: string;
  frameworks: FrameworkMap;
  aliases: string[];
  params: Record<string, unknown>;
}

/** Compiles one Rule object; throws Error with a one-line reason naming the rule and the field. */
export function compileRule(object: Record<string, unknown>): CompiledRule {
  const meta = (object['metadata'] ?? {}) as Record<string, unknown>;
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new Error(`Rule ${JSON.stringify(name)}: metadata.name must be a DNS subdomain name`);
  if (object['apiVersion'] !== RULE_API_VERSION) throw new Error(`Rule "${name}": apiVersion must be ${RULE_API_VERSION}`);
  const parsed = ruleSpecSchema.safeParse(object['spec']);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`Rule "${name}": spec${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`);
  }
  const spec = parsed.data;
  const compile = (field: string, source: string): CompiledCel => {
    try {
      return compileCel(source, RULE_VARIABLES);
    } catch (err) {
      throw new Error(`Rule "${name}": spec.${field}: ${celErrorText(err)}`);
    }
  };
  return {
    name,
    title: spec.title,
    severity: spec.severity,
    description: spec.description ?? spec.title,
    remediation: spec.remediation ?? '',
    ...(spec.match?.kinds !== undefined && { kinds: spec.match.kinds }),
    ...(spec.match?.apiGroups !== undefined && { apiGroups: spec.match.apiGroups }),
    ...(spec.match?.namespaces !== undefined && { namespaces: spec.match.namespaces }),
    ...(spec.match?.excludeNamespaces !== undefined && { excludeNamespaces: spec.match.excludeNamespaces }),
    podSpec: spec.podSpec ?? false,
    expression: compile('expression', spec.expression),
    ...(spec.message !== undefined && { message: spec.message }),
    ...(spec.messageExpression !== undefined && { messageExpression: compile('messageExpression', spec.messageExpression) }),
    ...(spec.fieldPath !== undefined && { fieldPath: spec.fieldPath }),
    frameworks: spec.frameworks as FrameworkMap,
    aliases: spec.aliases ?? [],
    params: spec.params ?? {},
  };
}

export interface RuleInput {
  apiVersion: string;
  kind: string;
  namespace: string | undefined;
  object: Record<string, unknown>;
  podSpec?: Record<string, unknown>;
  podMetadata?: Record<string, unknown>;
  namespaceObject: Record<string, unknown> | null;
}

/** Whether the rule applies to this resource at all. */
export function ruleApplies(rule: CompiledRule, r: RuleInput): boolean {
  if (rule.kinds !== undefined && !rule.kinds.includes(r.kind) && !rule.kinds.includes('*')) return false;
  if (rule.apiGroups !== undefined) {
    const group = r.apiVersion.includes('/') ? r.apiVersion.slice(0, r.apiVersion.indexOf('/')) : '';
    if (!rule.apiGroups.includes(group) && !rule.apiGroups.includes('*')) return false;
  }
  if (rule.namespaces !== undefined && (r.namespace === undefined || !rule.namespaces.includes(r.namespace))) return false;
  if (rule.excludeNamespaces !== undefined && r.namespace !== undefined && rule.excludeNamespaces.includes(r.namespace)) return false;
  if (rule.podSpec && r.podSpec === undefined) return false;
  return true;
}

export type RuleOutcome = { pass: true } | { pass: false; message: string } | { error: string };

/** Evaluates a rule on converted CEL variables (see toCel). A non-bool result or an error is an error: a broken rule never passes. */
export function evaluateRule(rule: CompiledRule, variables: Record<string, unknown>): RuleOutcome {
  let value: unknown;
  try {
    value = rule.expression.evaluate(variables);
  } catch (err) {
    return { error: `Rule "${rule.name}": expression '${rule.expression.expression}' resulted in error: ${celErrorText(err)}` };
  }
  if (value === true) return { pass: true };
  if (value !== false) return { error: `Rule "${rule.name}": expression must evaluate to bool, got ${typeof value}` };
  if (rule.messageExpression !== undefined) {
    try {
      const m = rule.messageExpression.evaluate(variables);
      if (typeof m === 'string' && m.trim() !== '' && !/[\r\n]/.test(m.trim())) return { pass: false, message: m.trim() };
    } catch {
      /* falls back to message, as VAP does */
    }
  }
  return { pass: false, message: rule.message?.trim() || `failed expression: ${rule.expression.expression}` };
}
