/**
 * The image-signature rule (ADM-IMAGE-SIGNATURE): every image matched by a signature policy
 * must carry a valid signature by one of its signers. The verifier that talks to registries is
 * pluggable (`ImageVerifier`); this module adds what the webhook needs around it: a cache of
 * verified images (bounded LRU with TTL, only successes are cached so a revoked signature or a
 * moved tag is seen again after the TTL at the latest), and one time budget per review shared
 * by all registry I/O, with a configurable answer when the registry is slow or down.
 */
import { matchesGlob } from '../core/glob.ts';
import { canonicalRegistry, parseImage } from '../checks/helpers.ts';
import { LruTtlCache } from './cache.ts';
import { entryLabel, isIndexMediaType, platformManifests, type IndexEntry } from '../image/platform.ts';
import { scannedDigest } from '../sign/sign.ts';
import type { Severity } from '../core/finding.ts';
import type { ImageRules, ScanAttestationRule, SignaturePolicy, TrustedSigner } from './config.ts';

export const SIGNATURE_RULE = 'ADM-IMAGE-SIGNATURE';
export const SCAN_ATTESTATION_RULE = 'ADM-IMAGE-SCAN-ATTESTATION';
/** bosun's scan predicate: `{scanner: {name, version}, scannedAt, summary: {critical, high, …}, scanned: {digest, platform}}` (src/sign/sign.ts scanPredicate). */
export const SCAN_PREDICATE_TYPE = 'https://bosun.dev/attestation/scan/v1';

export interface VerifyOutcome {
  /** True when at least one signature by a trusted signer verified. */
  verified: boolean;
  /** The manifest digest the signature covers, when known. */
  digest?: string;
  /** Which signer verified, or why nothing did. */
  detail: string;
  /** Attestations by a trusted signer (their in-toto statements' predicate type and predicate). */
  attestations?: Array<{ predicateType: string; predicate: unknown }>;
  /** The media type of the manifest at `digest`: the scan-attestation rule must know an index from an image. */
  mediaType?: string;
  /** When `digest` is an index: its entries, every platform of which the scan attestations must cover. */
  manifests?: IndexEntry[];
}

/** Checks an image against a set of trusted signers. Must honour `signal` (abort = budget spent). */
export interface ImageVerifier {
  verify(image: string, signers: readonly TrustedSigner[], signal: AbortSignal): Promise<VerifyOutcome>;
}

/** Raised when the verifier could not reach a verdict (network, registry 5xx, budget). */
export class RegistryUnavailableError extends Error {
  readonly code = 'E_REGISTRY_UNAVAILABLE';
}

export interface SignatureCheck {
  image: string;
  /** The rule the problem belongs to. */
  rule: typeof SIGNATURE_RULE | typeof SCAN_ATTESTATION_RULE;
  /** Set when the signature is missing or invalid, or the registry failed. */
  problem?: string;
  /** True when the problem is that the registry could not be asked in time. */
  unavailable?: boolean;
  cached: boolean;
}

export interface SignatureGateMetrics {
  registryErrors: number;
}

export class SignatureGate {
  private readonly rules: ImageRules;
  private readonly verifier: ImageVerifier | undefined;
  readonly cache: LruTtlCache<VerifyOutcome>;
  readonly metrics: SignatureGateMetrics = { registryErrors: 0 };

  private readonly now: () => Date;

  constructor(rules: ImageRules, verifier: ImageVerifier | undefined, now: () => Date = () => new Date()) {
    this.rules = rules;
    this.now = now;
    this.verifier = verifier;
    this.cache = new LruTtlCache(rules.cacheSize ?? 1000, (rules.cacheTtlSeconds ?? 300) * 1000);
  }

  get active(): boolean {
    return (this.rules.signatures?.length ?? 0) > 0;
  }

  /**
   * The first policy whose globs match the image as written or in its canonical spelling (see
   * canonicalImage), each glob also with its registry canonical: `Registry.Example.com:443/app`,
   * `index.docker.io/library/nginx` and `docker.io/nginx` name images the kubelet pulls from
   * registry.example.com and Docker Hub, so a policy on those must not miss them.
   */
  policyFor(image: string): SignaturePolicy | undefined {
    const canonical = canonicalImage(image);
    return this.rules.signatures?.find((p) => p.images.some((glob) => matchesGlob(glob, image) || matchesGlob(glob, canonical) || matchesGlob(canonicalGlob(glob), canonical)));
  }

  /**
   * Verifies each distinct image once, all within one budget (ms). When every image is cached (or
   * matches no policy) the answer is synchronous: the common case at admission rates.
   */
  check(images: readonly string[], budgetMs = this.rules.budgetMs ?? 3000): SignatureCheck[] | Promise<SignatureCheck[]> {
    // Cached images are answered here, without a budget timer.
    const results: SignatureCheck[] = [];
    let pending: Array<{ at: number; image: string; policy: SignaturePolicy }> | undefined;
    for (let i = 0; i < images.length; i++) {
      const image = images[i]!;
      if (images.indexOf(image) !== i) continue;
      // The cache is keyed by the image alone: a gate has one configuration, so an image has one
      // policy, and only images verified under it are cached. A hit needs no policy lookup.
      if (this.cache.find(image) !== undefined) {
        this.cache.hits++;
        results.push({ image, rule: SIGNATURE_RULE, cached: true });
        continue;
      }
      const policy = this.policyFor(image);
      if (policy === undefined) continue;
      this.cache.misses++;
      (pending ??= []).push({ at: results.length, image, policy });
      results.push({ image, rule: SIGNATURE_RULE, cached: true });
    }
    return pending === undefined ? results : this.checkPending(results, pending, budgetMs);
  }

  private async checkPending(results: SignatureCheck[], pending: ReadonlyArray<{ at: number; image: string; policy: SignaturePolicy }>, budgetMs: number): Promise<SignatureCheck[]> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new RegistryUnavailableError(`registry did not answer within the ${budgetMs} ms budget`)), budgetMs);
    try {
      const checked = await Promise.all(pending.map((p) => this.checkOne(p.image, p.policy, controller.signal)));
      pending.forEach((p, i) => (results[p.at] = checked[i]!));
      return results;
    } finally {
      clearTimeout(timer);
    }
  }

  private async checkOne(image: string, policy: SignaturePolicy, signal: AbortSignal): Promise<SignatureCheck> {
    if (this.verifier === undefined) return { image, rule: SIGNATURE_RULE, cached: false, unavailable: true, problem: 'no image verifier is configured' };
    try {
      const outcome = await raceAbort(this.verifier.verify(image, policy.signers, signal), signal);
      if (!outcome.verified) return { image, rule: SIGNATURE_RULE, cached: false, problem: outcome.detail };
      if (policy.scanAttestation !== undefined) {
        const problem = scanAttestationProblem(outcome, policy.scanAttestation, this.now());
        if (problem !== undefined) return { image, rule: SCAN_ATTESTATION_RULE, cached: false, problem };
      }
      this.cache.set(image, outcome);
      return { image, rule: SIGNATURE_RULE, cached: false };
    } catch (err) {
      this.metrics.registryErrors++;
      const reason = signal.aborted ? String((signal.reason as Error | undefined)?.message ?? 'budget spent') : (err as Error).message;
      return { image, rule: SIGNATURE_RULE, cached: false, unavailable: true, problem: `signature could not be checked: ${reason}` };
    }
  }
}

/**
 * Why the scan attestations do not cover the image, or undefined when they do. Covered means:
 * every manifest a node may pull (the image's manifest, or each platform manifest of an index,
 * buildx attestation manifests left out) has a bosun scan predicate naming it as `scanned.digest`,
 * at most `maxAgeDays` old, with no finding at or above `failOn`. The attestations are those
 * attached to the image's digest (for an index: one per platform, all on the index). A
 * predicate naming no scanned manifest (written before bosun recorded it) covers nothing.
 */
export function scanAttestationProblem(outcome: Pick<VerifyOutcome, 'digest' | 'mediaType' | 'manifests' | 'attestations'>, rule: ScanAttestationRule, now: Date): string | undefined {
  const scans = (outcome.attestations ?? []).filter((a) => a.predicateType === SCAN_PREDICATE_TYPE).map((a) => a.predicate);
  if (scans.length === 0) return 'no scan attestation by a trusted signer';
  if (outcome.digest === undefined) return "the image's digest is unknown, so what its scan attestations cover cannot be checked";
  if (outcome.mediaType === undefined) return `the manifest ${outcome.digest} could not be read, so what its scan attestations cover cannot be checked`;
  const index = isIndexMediaType(outcome.mediaType);
  const targets: IndexEntry[] = index ? platformManifests(outcome.manifests ?? []) : [{ digest: outcome.digest }];
  if (targets.length === 0) return `the index ${outcome.digest} lists no platform manifest`;
  const unnamed = scans.some((p) => scannedDigest(p) === undefined);
  const uncovered: string[] = [];
  for (const target of targets) {
    const verdicts = scans.filter((p) => scannedDigest(p) === target.digest).map((p) => scanPredicateProblem(p, rule, now));
    if (verdicts.includes(undefined)) continue;
    const reasons = verdicts as string[];
    if (reasons.length === 0) reasons.push(unnamed ? 'scan attestation does not name the manifest it scanned (attested by an older bosun: attest a new report)' : `no scan attestation of ${target.digest}`);
    uncovered.push(index ? `platform ${entryLabel(target)} not covered: ${reasons.join('; ')}` : reasons.join('; '));
  }
  return uncovered.length === 0 ? undefined : uncovered.join('; ');
}

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Why one scan predicate is stale or reports findings at or above `failOn`, or undefined when it is fresh and clean. */
function scanPredicateProblem(predicate: unknown, rule: ScanAttestationRule, now: Date): string | undefined {
  const failOn = rule.failOn ?? 'high';
  const maxAgeDays = rule.maxAgeDays ?? 7;
  const p = (predicate ?? {}) as { scannedAt?: unknown; summary?: Record<string, unknown> };
  const at = typeof p.scannedAt === 'string' ? Date.parse(p.scannedAt) : NaN;
  if (Number.isNaN(at)) return 'scan attestation has no scannedAt time';
  const ageDays = (now.getTime() - at) / 86_400_000;
  if (ageDays > maxAgeDays) return `scan attestation is ${Math.floor(ageDays)} days old (limit ${maxAgeDays})`;
  const over = (Object.keys(RANK) as Severity[]).filter((s) => RANK[s] >= RANK[failOn] && Number(p.summary?.[s] ?? 0) > 0);
  if (over.length > 0) return `scan attestation reports ${over.map((s) => `${String(p.summary?.[s])} ${s}`).join(', ')}`;
  return undefined;
}

/** Resolves with `p`, or rejects as soon as `signal` aborts (a verifier that ignores the signal cannot hold a review). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}


/**
 * An image reference as the kubelet resolves it (docker/distribution's normalisation): the
 * registry host without case, without the default HTTPS port, and Docker Hub's other hosts as
 * docker.io, whose one-part repositories live under library/. `nginx` → `docker.io/library/nginx`.
 */
export function canonicalImage(image: string): string {
  const ref = parseImage(image);
  const registry = canonicalRegistry(ref.registry);
  const repository = registry === 'docker.io' && !ref.repository.includes('/') ? `library/${ref.repository}` : ref.repository;
  return `${registry}/${repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}


/** A policy glob whose registry part is written out (no wildcard in it), with that registry canonical. */
function canonicalGlob(glob: string): string {
  const slash = glob.indexOf('/');
  if (slash === -1) return glob;
  const host = glob.slice(0, slash);
  if (/[*?]/.test(host) || !(host.includes('.') || host.includes(':') || host === 'localhost' || host.toLowerCase() !== host)) return glob;
  return `${canonicalRegistry(host)}${glob.slice(slash)}`;
}
