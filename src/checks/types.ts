import type { Severity } from '../core/finding.ts';
import type { RuleMeta } from '../core/rule.ts';
import type { ManifestIndex } from '../manifests/index-set.ts';
import type { Path } from '../manifests/path.ts';
import type { Resource } from '../manifests/resource.ts';
import type { Workload } from '../manifests/workload.ts';

export interface CheckContext {
  resource: Resource;
  /** The pod spec and containers; always set when the check's `kinds` is `'workload'`. */
  workload: Workload | undefined;
  index: ManifestIndex;
  /** A setting from bosun.yaml `checks.settings`, else the check's own default. */
  setting<T>(name: string): T;
  /**
   * Report a finding at `path` (relative to the resource root). For a missing field, pass the
   * path of the field that should be there: the location falls back to the object that should hold it.
   * `key` distinguishes two findings of one rule at one path (it feeds the fingerprint).
   */
  report(path: Path, message: string, options?: { severity?: Severity; key?: string }): void;
}

export interface Check extends RuleMeta {
  /** Rows of the union table in shared/reference/manifest-checks-peers.md §1 this check covers. */
  concepts: readonly number[];
  /** `'workload'` = every pod-bearing kind; `'all'` = every object; else the kinds listed. */
  kinds: 'workload' | 'all' | readonly string[];
  /** Opinionated checks that peers make optional are off unless enabled in bosun.yaml. */
  enabledByDefault?: boolean;
  /**
   * Severities the check reports besides its own, through `report`'s `severity` option. Must be
   * complete: the admission webhook does not run checks whose every severity is off there.
   */
  alsoReports?: readonly Severity[];
  /** Defaults for the settings this check reads through `ctx.setting(name)`. */
  settings?: Record<string, unknown>;
  run(ctx: CheckContext): void;
}

/** Identity function that gives check files type checking and one obvious shape. */
export function defineCheck(check: Check): Check {
  return check;
}
