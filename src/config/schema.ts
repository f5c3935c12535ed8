/**
 * The bosun.yaml schema: one zod definition that validates the file at load time and, through
 * `configJsonSchema()`, becomes the JSON Schema editors use for completion and hover docs.
 * Every object is strict: a misspelt key (`faillOn`, `waviers`) must be an error, never a
 * silently ignored gate.
 */
import { z } from 'zod';
import { SEVERITIES } from '../core/finding.ts';
import { auditConfigSchema } from '../audit/config.ts';
import { admissionSchema } from '../admission/config.ts';
import { imageRulesConfigSchema, licensesConfigSchema, secretsConfigSchema } from '../image/config.ts';

/** Where the committed JSON Schema is published; starter configs point editors at it. */
export const SCHEMA_URL = 'https://raw.githubusercontent.com/bosun-dev/bosun/main/schema/bosun.schema.json';

/** `failOn` levels: a severity (findings at or above it fail), or `none`. */
export const FAIL_ON_LEVELS = ['critical', 'high', 'medium', 'low', 'none'] as const;

/** `baseline`, `restricted` or `privileged`, optionally pinned to a Kubernetes minor (`:v1.30`) or `:latest`. */
export const PSS_PATTERN = /^(baseline|restricted|privileged)(:(v1\.(0|[1-9][0-9]*)|latest))?$/;

const DATE_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** True for a YYYY-MM-DD string naming a day that exists (rejects 2026-02-30, 2025-13-01). */
export function isCalendarDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

const nonEmpty = (what: string) => z.string().min(1, { error: `must not be empty` }).describe(what);

const severitySchema = z.enum(SEVERITIES).describe('A finding severity: critical, high, medium, low or info.');

const waiverSchema = z
  .strictObject({
    rule: nonEmpty('Rule ID or glob the waiver covers, e.g. `K8S-PRIVILEGED`, `K8S-*`, `pss/*`.'),
    kind: nonEmpty('Glob on the resource kind, e.g. `Deployment`, `*Set`. Omitted: any kind.').optional(),
    namespace: nonEmpty('Glob on the namespace, e.g. `kube-system`, `team-*`. Omitted: any namespace.').optional(),
    name: nonEmpty('Glob on the resource name, e.g. `node-exporter`, `ingress-*`. Omitted: any name.').optional(),
    reason: nonEmpty('Why the finding is accepted (required): who decided, the ticket, the compensating control.'),
    expires: z
      .string()
      .regex(DATE_PATTERN, { error: 'must be a date YYYY-MM-DD', abort: true })
      .refine(isCalendarDate, { error: 'not a calendar date' })
      .describe('Date (YYYY-MM-DD, UTC) from which the waiver stops suppressing; the report then lists it as expired.')
      .optional(),
  })
  .describe('An accepted finding: matching findings are kept in the report, marked suppressed, and do not fail the gate.');

const checksSchema = z
  .strictObject({
    disable: z.array(nonEmpty('Rule ID or glob.')).describe('Rule IDs or globs of checks to turn off, e.g. `K8S-LATEST-TAG`, `K8S-RES-*`.').optional(),
    enable: z.array(nonEmpty('Rule ID or glob.')).describe('Rule IDs or globs of opt-in checks (off by default) to turn on.').optional(),
    severity: z.record(z.string().min(1), severitySchema).describe('Per-rule severity overrides: rule ID → critical, high, medium, low or info. Overrides also move the gate.').optional(),
    settings: z.record(z.string().min(1), z.unknown()).describe('Inputs for configurable checks, by setting name (allowed registries, minimum replicas …).').optional(),
    ignoreAnnotation: z
      .array(nonEmpty('Rule ID or glob.'))
      .describe('Rule IDs or globs that the per-object `bosun.dev/ignore` annotation may suppress; an annotation naming other rules does not suppress them. `[]` turns annotation suppression off. Omitted: every rule (waivers here are the reviewed way for the rest).')
      .optional(),
  })
  .describe('Which checks run and how they report.');

export const configSchema = z
  .strictObject({
    failOn: z
      .enum(FAIL_ON_LEVELS)
      .describe('Lowest severity that fails the gate (exit code 1): critical, high, medium, low, or none to never fail. Default: high.')
      .optional(),
    pss: z
      .string()
      .regex(PSS_PATTERN, { error: 'must be baseline, restricted or privileged, optionally with :v1.N or :latest' })
      .describe('Evaluate every pod against this Pod Security Standards policy, e.g. `restricted`, `baseline:v1.30`, `restricted:latest`.')
      .optional(),
    defaultNamespace: nonEmpty('Namespace assumed for namespaced objects that omit one. Default: default.').optional(),
    waivers: z.array(waiverSchema).describe('Accepted findings, each with a reason and, preferably, an expiry date.').optional(),
    checks: checksSchema.optional(),
    audit: auditConfigSchema.optional(),
    admission: admissionSchema.optional(),
    secrets: secretsConfigSchema.optional(),
    licenses: licensesConfigSchema.optional(),
    imageRules: imageRulesConfigSchema.optional(),
    policies: z.array(nonEmpty("A file or directory, relative to bosun.yaml.")).describe("ValidatingAdmissionPolicy (with bindings and params) and bosun Rule files or directories that bosun scan evaluates, as --policy does.").optional(),
    exclude: z.array(nonEmpty('A path glob relative to bosun.yaml.')).describe('Paths bosun scan leaves out when it walks directories (as --skip): globs relative to bosun.yaml, ** for any depth, * and ? within a name; a pattern without / matches a file or directory name anywhere. Files named on the command line are always read.').optional(),
    vex: z.array(nonEmpty('A file, relative to bosun.yaml.')).describe('OpenVEX or CycloneDX VEX documents applied to vulnerability findings (as --vex): not_affected and fixed statements suppress them.').optional(),
    dast: z
      .strictObject({
        rules: z
          .record(z.string().regex(/^([0-9]+|DAST-[A-Z0-9-]+)$/, { error: 'must be a ZAP plugin ID or a DAST- rule ID' }), z.enum(['IGNORE', 'INFO', 'WARN', 'FAIL']))
          .describe('Levels of bosun dast rules, keyed by ZAP plugin ID (10038) or bosun ID, as in the zap-baseline rule file: IGNORE, INFO, WARN (default) or FAIL (fails the gate).')
          .optional(),
      })
      .describe('bosun dast (baseline web scan) settings.')
      .optional(),
  })
  .describe('bosun configuration (bosun.yaml).');

export type ConfigInput = z.infer<typeof configSchema>;

/** The JSON Schema (draft 2020-12) for bosun.yaml, as committed in `schema/bosun.schema.json`. */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, description, ...rest } = z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
  return {
    $schema,
    $id: SCHEMA_URL,
    title: 'bosun.yaml',
    description: `${String(description)} Security as code for Kubernetes: the gate threshold, Pod Security Standards level, waivers and check selection.`,
    ...rest,
  };
}
