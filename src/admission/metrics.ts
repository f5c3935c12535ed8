/**
 * Prometheus metrics of the webhook, rendered in the text exposition format (version 0.0.4).
 * Label values are rule IDs and fixed words only: never user input such as names or images,
 * so cardinality stays bounded by the rule catalogue.
 */
import type { CacheStats } from './cache.ts';

/** Latency buckets in seconds: admission answers live in the sub-10 ms range, the webhook timeout is seconds. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class AdmissionMetrics {
  private readonly requests = new Map<string, number>();
  private readonly violations = new Map<string, number>();
  private readonly bucketCounts = new Array<number>(BUCKETS.length).fill(0);
  private latencySum = 0;
  private latencyCount = 0;
  badRequests = 0;
  rejectedOverload = 0;
  certReloads = 0;
  certReloadErrors = 0;

  recordDecision(decision: 'allowed' | 'denied' | 'error', seconds: number): void {
    this.requests.set(decision, (this.requests.get(decision) ?? 0) + 1);
    this.latencySum += seconds;
    this.latencyCount++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) this.bucketCounts[i]!++;
  }

  recordViolations(mode: 'enforce' | 'warn' | 'audit', rules: readonly string[]): void {
    for (const rule of rules) {
      const key = `${mode}\u0000${rule}`;
      this.violations.set(key, (this.violations.get(key) ?? 0) + 1);
    }
  }

  render(cache: CacheStats, registryErrors: number, inFlight: number): string {
    const lines: string[] = [];
    const family = (name: string, type: string, help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    family('bosun_admission_requests_total', 'counter', 'Admission reviews answered, by decision.');
    for (const d of ['allowed', 'denied', 'error']) lines.push(`bosun_admission_requests_total{decision="${d}"} ${this.requests.get(d) ?? 0}`);
    family('bosun_admission_rule_violations_total', 'counter', 'Rule violations found, by rule and mode.');
    for (const [key, n] of [...this.violations].sort()) {
      const [mode, rule] = key.split('\u0000') as [string, string];
      lines.push(`bosun_admission_rule_violations_total{rule="${escapeLabel(rule)}",mode="${mode}"} ${n}`);
    }
    family('bosun_admission_request_duration_seconds', 'histogram', 'Time from request body received to response written.');
    BUCKETS.forEach((b, i) => lines.push(`bosun_admission_request_duration_seconds_bucket{le="${b}"} ${this.bucketCounts[i]}`));
    lines.push(`bosun_admission_request_duration_seconds_bucket{le="+Inf"} ${this.latencyCount}`);
    lines.push(`bosun_admission_request_duration_seconds_sum ${this.latencySum}`, `bosun_admission_request_duration_seconds_count ${this.latencyCount}`);
    family('bosun_admission_bad_requests_total', 'counter', 'Requests answered 4xx: malformed, too large, wrong method or path.');
    lines.push(`bosun_admission_bad_requests_total ${this.badRequests}`);
    family('bosun_admission_overload_rejections_total', 'counter', 'Requests refused with 429 because too many reviews were in flight.');
    lines.push(`bosun_admission_overload_rejections_total ${this.rejectedOverload}`);
    family('bosun_admission_in_flight', 'gauge', 'Reviews being evaluated now.');
    lines.push(`bosun_admission_in_flight ${inFlight}`);
    family('bosun_admission_signature_cache_hits_total', 'counter', 'Signature verifications answered from the cache.');
    lines.push(`bosun_admission_signature_cache_hits_total ${cache.hits}`);
    family('bosun_admission_signature_cache_misses_total', 'counter', 'Signature verifications not in the cache.');
    lines.push(`bosun_admission_signature_cache_misses_total ${cache.misses}`);
    family('bosun_admission_signature_cache_entries', 'gauge', 'Verified images held in the cache.');
    lines.push(`bosun_admission_signature_cache_entries ${cache.size}`);
    family('bosun_admission_registry_errors_total', 'counter', 'Registry lookups that failed or ran out of time.');
    lines.push(`bosun_admission_registry_errors_total ${registryErrors}`);
    family('bosun_admission_cert_reloads_total', 'counter', 'Serving certificate reloads, by result.');
    lines.push(`bosun_admission_cert_reloads_total{result="ok"} ${this.certReloads}`, `bosun_admission_cert_reloads_total{result="error"} ${this.certReloadErrors}`);
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
