/** Counters of the audit intake, in the Prometheus text exposition format (version 0.0.4). */

type Labels = Record<string, string>;

/** Series per metric family; beyond it counts go to one `{overflow="true"}` series. */
export const MAX_SERIES = 2000;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

interface Family {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
}

export class Metrics {
  private readonly families = new Map<string, Family>();
  private readonly gauges = new Map<string, () => number>();

  define(name: string, type: 'counter' | 'gauge', help: string): void {
    if (!this.families.has(name)) this.families.set(name, { help, type, values: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const f = this.families.get(name);
    if (f === undefined) throw new Error(`metric ${name} is not defined`);
    let key = labelText(labels);
    // Label values can come from clients (rule names posted to /falco): cap the series.
    if (!f.values.has(key) && f.values.size >= MAX_SERIES) key = labelText({ overflow: 'true' });
    f.values.set(key, (f.values.get(key) ?? 0) + by);
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => number): void {
    this.define(name, 'gauge', help);
    this.gauges.set(name, read);
  }

  get(name: string, labels: Labels = {}): number {
    const f = this.families.get(name);
    if (f === undefined) return 0;
    const read = this.gauges.get(name);
    if (read !== undefined) return read();
    return f.values.get(labelText(labels)) ?? 0;
  }

  render(): string {
    let out = '';
    for (const [name, f] of this.families) {
      out += `# HELP ${name} ${f.help}\n# TYPE ${name} ${f.type}\n`;
      const read = this.gauges.get(name);
      if (read !== undefined) {
        out += `${name} ${read()}\n`;
        continue;
      }
      if (f.values.size === 0 && f.type === 'counter') continue;
      for (const [labels, v] of f.values) out += `${name}${labels} ${v}\n`;
    }
    return out;
  }
}

/** The metric families `bosun audit serve` exposes on /metrics. */
export function auditMetrics(): Metrics {
  const m = new Metrics();
  m.define('bosun_audit_requests_total', 'counter', 'HTTP requests by path and status code.');
  m.define('bosun_audit_events_total', 'counter', 'Audit events received and evaluated.');
  m.define('bosun_audit_parse_errors_total', 'counter', 'Items that were not valid audit events, by reason.');
  m.define('bosun_audit_alerts_total', 'counter', 'Alerts by rule, priority and source (k8s_audit from rules, others from /falco).');
  m.define('bosun_audit_alerts_dropped_total', 'counter', 'Alerts not sent, by reason (dedup, rate_limit, sink_queue_full).');
  m.define('bosun_audit_shed_total', 'counter', 'Requests refused with 429 because the queue was full.');
  m.define('bosun_audit_sink_errors_total', 'counter', 'Failed deliveries by sink.');
  return m;
}
