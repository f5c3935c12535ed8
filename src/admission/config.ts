/**
 * The `admission:` section of bosun.yaml: what the webhook enforces, warns about or audits, per
 * rule and per namespace. Defaults live here, in one place (`DEFAULT_ADMISSION`): with no
 * configuration at all the webhook enforces Pod Security Standards `baseline:latest` and the
 * critical built-in checks, and warns on high ones.
 */
import { z } from 'zod';
import type { Severity } from '../core/finding.ts';
import { matchesAnyGlob, matchesGlob } from '../core/glob.ts';

/** What happens when a rule is violated: deny, answer with `warnings`, record `auditAnnotations`, or nothing. */
export type RuleMode = 'enforce' | 'warn' | 'audit' | 'off';
export const RULE_MODES = ['enforce', 'warn', 'audit', 'off'] as const;

/** One trusted signer: a public key (PEM) or a keyless identity checked against a trusted root. */
export interface TrustedSigner {
  /** PEM public key (cosign.pub contents), or a path to one relative to bosun.yaml. */
  key?: string;
  /** Exact certificate SAN (email or URI) for keyless signatures. */
  identity?: string;
  /** Exact OIDC issuer for keyless signatures. */
  issuer?: string;
}

export interface SignaturePolicy {
  /** Image globs the policy applies to (`registry.example.com/team/*`). */
  images: string[];
  signers: TrustedSigner[];
  /** Also require a verified bosun scan attestation (ADM-IMAGE-SCAN-ATTESTATION). */
  scanAttestation?: ScanAttestationRule;
}

export interface ScanAttestationRule {
  /** No finding at or above this severity (default high). */
  failOn?: Severity;
  /** The scan is at most this many days old (default 7). */
  maxAgeDays?: number;
}

export interface ImageRules {
  /** Registry hosts or repository prefixes allowed (feeds K8S-IMAGE-REGISTRY-NOT-ALLOWED). */
  allowedRegistries?: string[];
  /** Require `image@sha256:…` (K8S-IMAGE-NOT-PINNED-BY-DIGEST in enforce mode). */
  requireDigest?: boolean;
  /** Images matching a policy must carry a valid signature by one of its signers (ADM-IMAGE-SIGNATURE). */
  signatures?: SignaturePolicy[];
  /** What a registry timeout or error means for the signature rule: `deny` (default) or `allow`. */
  onRegistryError?: 'deny' | 'allow';
  /** All registry I/O of one review shares this budget, in milliseconds (default 3000, below the 5 s webhook timeout). */
  budgetMs?: number;
  /** Verified-digest cache: entries and time to live in seconds (defaults 1000, 300). */
  cacheSize?: number;
  cacheTtlSeconds?: number;
  /** trusted_root.json path for keyless signers (relative to bosun.yaml). */
  trustedRoot?: string;
  /** Registries reached over plain HTTP (tests, in-cluster mirrors). */
  insecureRegistries?: string[];
}

export interface NamespacePolicy {
  /** Namespace name or glob. */
  namespace: string;
  /** PSS policy for pods in these namespaces, e.g. `restricted:latest`; `privileged` turns PSS off. */
  pss?: string;
  /** Caps every rule: `warn` turns enforce into warn; `audit` turns enforce and warn into audit; `off` skips the namespace. */
  mode?: RuleMode;
  /** Per-rule modes for these namespaces (rule ID or glob → mode); beat the global ones. */
  rules?: Record<string, RuleMode>;
}

export interface AdmissionConfig {
  /** PSS policy for namespaces without a more specific setting (default `baseline:latest`). */
  pss: string;
  /** Mode of built-in checks by severity (default: critical enforce, high warn, the rest off). */
  severityModes: Record<Severity, RuleMode>;
  /** Mode of every `pss/*` rule unless overridden (default enforce). */
  pssMode: RuleMode;
  /** Rule ID or glob → mode, for every namespace. */
  rules: Record<string, RuleMode>;
  namespaces: NamespacePolicy[];
  /** Namespaces never evaluated (default kube-system, kube-public, kube-node-lease). */
  exemptNamespaces: string[];
  images: ImageRules;
}

export const DEFAULT_ADMISSION: AdmissionConfig = {
  pss: 'baseline:latest',
  severityModes: { critical: 'enforce', high: 'warn', medium: 'off', low: 'off', info: 'off' },
  pssMode: 'enforce',
  rules: {},
  namespaces: [],
  exemptNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  images: {},
};

const modeSchema = z.enum(RULE_MODES).describe('enforce (deny), warn (response warnings), audit (auditAnnotations) or off.');
const pssSchema = z
  .string()
  .regex(/^(baseline|restricted|privileged)(:(v1\.(0|[1-9][0-9]*)|latest))?$/, { error: 'must be baseline, restricted or privileged, optionally with :v1.N or :latest' })
  .describe('Pod Security Standards policy, e.g. `restricted:latest`.');
const rulesSchema = z.record(z.string().min(1), modeSchema).describe('Rule ID or glob → enforce, warn, audit or off.');

const signerSchema = z
  .strictObject({
    key: z.string().min(1).describe('PEM public key of a trusted signer.').optional(),
    identity: z.string().min(1).describe('Exact certificate identity (SAN) for keyless signatures.').optional(),
    issuer: z.string().min(1).describe('Exact OIDC issuer for keyless signatures.').optional(),
  })
  .refine((s) => s.key !== undefined || (s.identity !== undefined && s.issuer !== undefined), { error: 'needs key, or identity and issuer' });

/** The zod schema of the `admission:` section (included in bosun.yaml's schema). */
export const admissionSchema = z
  .strictObject({
    pss: pssSchema.optional(),
    severityModes: z.partialRecord(z.enum(['critical', 'high', 'medium', 'low', 'info']), modeSchema).describe('Mode of built-in checks by severity.').optional(),
    pssMode: modeSchema.optional(),
    rules: rulesSchema.optional(),
    namespaces: z
      .array(
        z.strictObject({
          namespace: z.string().min(1).describe('Namespace name or glob, e.g. `team-*`.'),
          pss: pssSchema.optional(),
          mode: modeSchema.describe('Caps every rule in these namespaces: warn turns enforce into warn, audit turns enforce and warn into audit, off skips them.').optional(),
          rules: rulesSchema.optional(),
        }),
      )
      .describe('Per-namespace settings; the first entry whose glob matches wins.')
      .optional(),
    exemptNamespaces: z.array(z.string().min(1)).describe('Namespaces (globs) the webhook always admits. Default: kube-system, kube-public, kube-node-lease.').optional(),
    images: z
      .strictObject({
        allowedRegistries: z.array(z.string().min(1)).describe('Registry hosts or repository prefixes images may come from (enforces K8S-IMAGE-REGISTRY-NOT-ALLOWED).').optional(),
        requireDigest: z.boolean().describe('Require images pinned by digest (enforces K8S-IMAGE-NOT-PINNED-BY-DIGEST).').optional(),
        signatures: z
          .array(
            z.strictObject({
              images: z.array(z.string().min(1)).min(1).describe('Image globs the rule applies to, e.g. `registry.example.com/team/*`.'),
              signers: z.array(signerSchema).min(1).describe('Trusted signers: one valid signature by any of them admits the image.'),
              scanAttestation: z
                .strictObject({
                  failOn: z.enum(['critical', 'high', 'medium', 'low', 'info']).describe('No finding at or above this severity in the attested scan (default high).').optional(),
                  maxAgeDays: z.number().int().min(1).describe('The attested scan is at most this many days old (default 7).').optional(),
                })
                .describe('ADM-IMAGE-SCAN-ATTESTATION: also require a bosun scan attestation by one of the signers.')
                .optional(),
            }),
          )
          .describe('ADM-IMAGE-SIGNATURE: images matching a rule need a valid signature by one of its signers.')
          .optional(),
        onRegistryError: z.enum(['deny', 'allow']).describe('When the registry is slow or down: deny (default, with a clear message) or allow with a warning.').optional(),
        budgetMs: z.number().int().min(10).max(30000).describe('Time budget in milliseconds for all registry I/O of one review (default 3000).').optional(),
        cacheSize: z.number().int().min(0).describe('Verified images kept in the cache (default 1000; 0 disables it).').optional(),
        cacheTtlSeconds: z.number().int().min(0).describe('How long a verified image stays cached, in seconds (default 300).').optional(),
        trustedRoot: z.string().min(1).describe('trusted_root.json for keyless signatures (path relative to bosun.yaml).').optional(),
        insecureRegistries: z.array(z.string().min(1)).describe('Registries reached over plain HTTP.').optional(),
      })
      .describe('Image rules: allowed registries, digest pinning, signatures.')
      .optional(),
  })
  .describe('The admission webhook (`bosun admission serve`): modes per rule and namespace, PSS levels, image rules.');

export type AdmissionConfigInput = z.infer<typeof admissionSchema>;

/** Fills defaults into a validated `admission:` section (or none). */
export function resolveAdmissionConfig(input: AdmissionConfigInput | undefined): AdmissionConfig {
  const i = input ?? {};
  return {
    pss: i.pss ?? DEFAULT_ADMISSION.pss,
    severityModes: { ...DEFAULT_ADMISSION.severityModes, ...i.severityModes },
    pssMode: i.pssMode ?? DEFAULT_ADMISSION.pssMode,
    rules: i.rules ?? {},
    namespaces: (i.namespaces ?? []).map((n) => ({ ...n })),
    exemptNamespaces: i.exemptNamespaces ?? DEFAULT_ADMISSION.exemptNamespaces,
    images: { ...i.images },
  };
}

/** The settings that apply in one namespace (first matching `namespaces` entry). */
export function namespacePolicy(config: AdmissionConfig, namespace: string): NamespacePolicy | undefined {
  return config.namespaces.find((n) => matchesGlob(n.namespace, namespace));
}

export function isExempt(config: AdmissionConfig, namespace: string): boolean {
  return namespace !== '' && matchesAnyGlob(config.exemptNamespaces, namespace);
}

const MODE_RANK: Record<RuleMode, number> = { off: 0, audit: 1, warn: 2, enforce: 3 };

/**
 * The mode of `ruleId` in a namespace. Order: the namespace's per-rule entry, the global
 * per-rule entry, then the rule's default (`base`); the namespace `mode` caps the result.
 */
export function ruleMode(config: AdmissionConfig, ns: NamespacePolicy | undefined, ruleId: string, base: RuleMode): RuleMode {
  const own = ns?.rules === undefined ? undefined : lookupRule(ns.rules, ruleId);
  let mode = own ?? lookupRule(config.rules, ruleId) ?? base;
  const cap = ns?.mode;
  if (cap !== undefined && MODE_RANK[mode] > MODE_RANK[cap]) mode = cap;
  return mode;
}

function lookupRule(rules: Record<string, RuleMode>, ruleId: string): RuleMode | undefined {
  if (Object.hasOwn(rules, ruleId)) return rules[ruleId];
  for (const [pattern, mode] of Object.entries(rules)) if (matchesGlob(pattern, ruleId)) return mode;
  return undefined;
}
