/**
 * Assess a framework against a scan: each control passes, fails (with the findings behind it),
 * is manual (no rule can decide it), or is not applicable (nothing it is about is in the inputs).
 * Score = passed / (passed + failed), the share of decidable controls that hold.
 */
import type { Finding, Report } from '../core/finding.ts';
import { matchesAnyGlob } from '../core/glob.ts';
import type { Control, Framework } from './framework.ts';

export type ControlStatus = 'pass' | 'fail' | 'manual' | 'not-applicable';

export interface ControlResult {
  id: string;
  title: string;
  section?: string;
  assessment?: string;
  status: ControlStatus;
  rules: string[];
  /** Unsuppressed findings of the control's rules. */
  findings: Finding[];
  /** Findings of the control's rules that a waiver or annotation suppressed (they do not fail it). */
  suppressed: number;
  manual?: string;
  note?: string;
}

export interface ComplianceReport {
  schemaVersion: 1;
  framework: { id: string; title: string; version: string; url?: string; description: string };
  generatedAt: string;
  inputs: { files: number; resources: number; errors: number };
  summary: { controls: number; pass: number; fail: number; manual: number; notApplicable: number; score: number | null };
  controls: ControlResult[];
  /** Input errors of the scan: a report over inputs that could not all be read is incomplete. */
  errors: Report['errors'];
}

const WORKLOAD_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate', 'DeploymentConfig', 'Rollout']);

function applies(control: Control, kinds: ReadonlySet<string>): boolean {
  if (control.appliesTo === undefined) return true;
  return control.appliesTo.some((k) => (k === 'workload' ? [...WORKLOAD_KINDS].some((w) => kinds.has(w)) : kinds.has(k)));
}

/** `kinds`: the kinds present in the scanned inputs. */
export function assessFramework(framework: Framework, report: Report, kinds: ReadonlySet<string>, now = new Date()): ComplianceReport {
  const controls: ControlResult[] = framework.controls.map((control) => {
    const mine = report.findings.filter((f) => matchesAnyGlob(control.rules, f.ruleId));
    const active = mine.filter((f) => f.suppressed === undefined);
    let status: ControlStatus;
    if (control.rules.length === 0) status = 'manual';
    else if (active.length > 0) status = 'fail';
    else if (!applies(control, kinds)) status = 'not-applicable';
    else status = 'pass';
    return {
      id: control.id,
      title: control.title,
      ...(control.section !== undefined && { section: control.section }),
      ...(control.assessment !== undefined && { assessment: control.assessment }),
      status,
      rules: control.rules,
      findings: active,
      suppressed: mine.length - active.length,
      ...(control.manual !== undefined && { manual: control.manual }),
      ...(control.note !== undefined && { note: control.note }),
    };
  });
  const count = (s: ControlStatus): number => controls.filter((c) => c.status === s).length;
  const pass = count('pass');
  const fail = count('fail');
  return {
    schemaVersion: 1,
    framework: { id: framework.id, title: framework.title, version: framework.version, ...(framework.url !== undefined && { url: framework.url }), description: framework.description },
    generatedAt: now.toISOString(),
    inputs: { files: report.summary.files, resources: report.summary.resources, errors: report.errors.length },
    summary: { controls: controls.length, pass, fail, manual: count('manual'), notApplicable: count('not-applicable'), score: pass + fail === 0 ? null : Math.round((1000 * pass) / (pass + fail)) / 10 },
    controls,
    errors: report.errors,
  };
}
