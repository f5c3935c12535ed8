/**
 * The `audit:` section of bosun.yaml: rules files, matching, the intake server and its alert
 * sinks. `auditConfigSchema` is part of the bosun.yaml schema (src/config/schema.ts), so a
 * misspelt key is an error when the file loads.
 */
import { readFile } from 'node:fs/promises';
import jsyaml from 'js-yaml';
import { z } from 'zod';
import { BosunError } from '../core/errors.ts';

const priorityNames = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'info', 'debug'] as const;
const priority = z.enum(priorityNames).describe('A Falco priority: emergency, alert, critical, error, warning, notice, informational (info) or debug.');
const alertFormat = z.enum(['falco-json', 'falco-text']).describe('falco-json: Falco\'s JSON alert, one per line; falco-text: Falco\'s text line.');

const sinkBase = {
  minPriority: priority.describe('Only alerts at least this severe go to this sink. Default: all.').optional(),
};

const stdoutSink = z.strictObject({ type: z.literal('stdout'), format: alertFormat.optional(), ...sinkBase }).describe('Alerts on standard output, one per line.');
const fileSink = z
  .strictObject({
    type: z.literal('file'),
    path: z.string().min(1).describe('File the alerts are appended to.'),
    format: alertFormat.optional(),
    maxBytes: z.number().int().positive().describe('Rotate when the file would grow past this size (default 100 MiB): path → path.1 → … .').optional(),
    maxFiles: z.number().int().min(1).max(100).describe('Rotated files kept (default 5).').optional(),
    ...sinkBase,
  })
  .describe('Alerts appended to a file, rotated by size.');
const webhookSink = z
  .strictObject({
    type: z.literal('webhook'),
    url: z.url().describe('Where alerts are POSTed.'),
    format: z.enum(['json', 'slack']).describe('json: the Falco JSON alert (as Falco http_output sends it); slack: a Slack incoming-webhook message.').optional(),
    headers: z.record(z.string(), z.string()).describe('Extra request headers. Values are never logged.').optional(),
    timeoutMs: z.number().int().positive().describe('Per-request timeout (default 5000).').optional(),
    queueSize: z.number().int().positive().describe('Alerts buffered for this sink; beyond it the oldest are dropped and counted (default 1000).').optional(),
    ...sinkBase,
  })
  .describe('Alerts POSTed to a URL (generic JSON or Slack-compatible).');

export const sinkSchema = z.discriminatedUnion('type', [stdoutSink, fileSink, webhookSink]);

export const auditConfigSchema = z
  .strictObject({
    rules: z.array(z.string().min(1)).describe('Falco rules files loaded in order (default: bosun\'s audit rules).').optional(),
    ruleMatching: z.enum(['first', 'all']).describe('first: only the first matching rule alerts (Falco\'s default); all: every matching rule.').optional(),
    minPriority: priority.describe('Rules less severe than this are not evaluated (default debug).').optional(),
    utc: z.boolean().describe('Print times in text alerts in UTC (Falco prints local time).').optional(),
    serve: z
      .strictObject({
        host: z.string().min(1).describe('Address to bind (default 127.0.0.1).').optional(),
        port: z.number().int().min(0).max(65535).describe('Port (default 9765, as Falco\'s k8saudit plugin).').optional(),
        path: z.string().regex(/^\/[^?#]*$/, { error: 'must be a path starting with /' }).describe('Path of the audit webhook endpoint (default /k8s-audit).').optional(),
        tlsCert: z.string().min(1).describe('PEM certificate file; with tlsKey the server speaks HTTPS.').optional(),
        tlsKey: z.string().min(1).describe('PEM private key file.').optional(),
        tokenFile: z.string().min(1).describe('File holding a bearer token that intake requests must present. Never logged.').optional(),
        maxBodyBytes: z.number().int().positive().describe('Largest request body (default 12 MiB, as the plugin\'s webhookMaxBatchSize).').optional(),
        maxEventSize: z.number().int().positive().describe('Largest event (default 262144 bytes, as the plugin).').optional(),
        queueSize: z.number().int().positive().describe('Request bodies waiting for the engine; when full, requests get 429 (default 64).').optional(),
      })
      .describe('`bosun audit serve`: the audit webhook and Falco alert intake.')
      .optional(),
    sinks: z.array(sinkSchema).describe('Where alerts go (default: stdout, falco-json).').optional(),
    dedup: z
      .strictObject({ windowSeconds: z.number().positive().describe('An alert identical to one sent (same rule and message) within this window is dropped and counted.') })
      .describe('Drop repeated identical alerts.')
      .optional(),
    rateLimit: z
      .strictObject({
        perRulePerMinute: z.number().positive().describe('Alerts per rule per minute sent to sinks; the rest are dropped and counted.'),
        burst: z.number().int().positive().describe('Alerts a rule may send at once before the rate applies (default: perRulePerMinute).').optional(),
      })
      .describe('Limit how fast one noisy rule can send alerts.')
      .optional(),
  })
  .describe('Kubernetes audit detection (bosun audit): Falco-compatible rules, intake server and alert sinks.');

export type AuditConfig = z.infer<typeof auditConfigSchema>;
export type SinkConfig = z.infer<typeof sinkSchema>;

/** The `audit:` section of a bosun.yaml (the whole file is validated by the config loader first). */
export async function readAuditConfig(path: string): Promise<AuditConfig> {
  let data: unknown;
  try {
    data = jsyaml.load(await readFile(path, 'utf8'), { schema: jsyaml.CORE_SCHEMA, filename: path });
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: cannot read config: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const section = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['audit'] : undefined;
  if (section === undefined || section === null) return {};
  const parsed = auditConfigSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BosunError('E_CONFIG', `${path}: audit.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}
