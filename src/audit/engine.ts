/**
 * The audit rules engine: a loaded ruleset evaluated against events in rule order. With
 * `ruleMatching: 'first'` (Falco's default) only the first matching rule alerts; with `all`
 * every matching rule does.
 */
import { hostname as osHostname } from 'node:os';
import type { AuditEvent } from './event.ts';
import { compilePredicate, EvalState, type Predicate } from './evaluate.ts';
import { isoTime, type FieldContext } from './fields.ts';
import type { AuditRule, Ruleset } from './loader.ts';
import { renderOutput, textLine, type FalcoAlert } from './output.ts';
import { priorityRank, type Priority } from './priority.ts';

export type RuleMatching = 'first' | 'all';

export interface EngineOptions {
  ruleMatching?: RuleMatching;
  /** Rules less severe are not evaluated (default Debug: all). */
  minPriority?: Priority;
  /** `hostname` of alerts; default FALCO_HOSTNAME, else the OS host name (as Falco). */
  hostname?: string;
  /** Print `evt.time` in UTC rather than local time (Falco prints local time). */
  utc?: boolean;
  /** Falco's `time_format_iso_8601`: the text prefix is `%evt.time.iso8601` (UTC). */
  timeIso8601?: boolean;
}

export interface MatchedAlert extends FalcoAlert {
  ruleRef: AuditRule;
  event: AuditEvent;
}

export interface AuditEngine {
  readonly rules: readonly AuditRule[];
  /** Alerts for one event, in rule order. */
  process(ev: AuditEvent): MatchedAlert[];
}

export function defaultHostname(): string {
  const env = process.env['FALCO_HOSTNAME'];
  return env !== undefined && env !== '' ? env : osHostname();
}

export function createEngine(ruleset: Ruleset, options: EngineOptions = {}): AuditEngine {
  const state = new EvalState();
  const minRank = priorityRank(options.minPriority ?? 'Debug');
  const active: { rule: AuditRule; test: Predicate }[] = [];
  for (const rule of ruleset.rules) {
    if (!rule.enabled || priorityRank(rule.priority) > minRank) continue;
    active.push({ rule, test: compilePredicate(rule.expr, state) });
  }
  const first = (options.ruleMatching ?? 'first') === 'first';
  const hostname = options.hostname ?? defaultHostname();
  const utc = options.utc === true;
  const iso = options.timeIso8601 === true;
  let startNs: bigint | undefined;
  const ctx: FieldContext = { ev: undefined as unknown as AuditEvent, hostname, startNs: 0n, utc };

  return {
    rules: active.map((a) => a.rule),
    process(ev: AuditEvent): MatchedAlert[] {
      if (startNs === undefined) {
        startNs = ev.timeNs;
        ctx.startNs = startNs;
      }
      ctx.ev = ev;
      state.reset(ctx);
      let out: MatchedAlert[] | undefined;
      for (const a of active) {
        if (!a.test(state)) continue;
        const r = renderOutput(a.rule.output, ctx);
        r.fields.set(iso ? 'evt.time.iso8601' : 'evt.time', ev.timeNs);
        const alert: MatchedAlert = {
          timeNs: ev.timeNs,
          rule: a.rule.name,
          priority: a.rule.priority,
          source: a.rule.source,
          tags: a.rule.tags,
          hostname,
          message: r.message,
          output: iso ? `${isoTime(ev.timeNs)}: ${a.rule.priority} ${r.message}` : textLine(ev.timeNs, a.rule.priority, r.message, utc),
          outputFields: r.fields,
          ruleRef: a.rule,
          event: ev,
        };
        (out ??= []).push(alert);
        if (first) break;
      }
      return out ?? [];
    },
  };
}
