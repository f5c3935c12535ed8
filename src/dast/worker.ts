/**
 * Worker-thread entry of the analysis pool: receives scan sessions (which rules, which
 * configuration) and responses, answers with findings.
 */
import { parentPort } from 'node:worker_threads';
import { fromWire, runRules, type AnalysisSettings, type WireMessage } from './analyze.ts';
import type { RuleConfig } from './config.ts';
import { DAST_RULES } from './rules/index.ts';

export type ToWorker =
  | { type: 'session'; session: number; ruleIds: string[]; config: RuleConfig; submitForms: boolean }
  | { type: 'end'; session: number }
  | { type: 'analyze'; session: number; job: number; message: WireMessage };

const sessions = new Map<number, AnalysisSettings>();

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'session') {
    const wanted = new Set(m.ruleIds);
    sessions.set(m.session, { rules: DAST_RULES.filter((r) => wanted.has(r.id)), config: m.config, submitForms: m.submitForms });
  } else if (m.type === 'end') {
    sessions.delete(m.session);
  } else {
    const settings = sessions.get(m.session);
    if (settings === undefined) throw new Error(`analysis for unknown session ${m.session}`);
    parentPort!.postMessage({ job: m.job, analysis: runRules(fromWire(m.message), settings) });
  }
});
