import { BosunError } from '../core/errors.ts';

/** Where a rules-file problem is: the file position of the item, and inside its condition. */
export interface RulesErrorLocation {
  file: string;
  line: number;
  column: number;
  /** `rule 'Create Privileged Pod'`, `macro 'kevt'`, `list 'allowed_k8s_users'`. */
  item?: string;
  /** 1-based position inside the condition text, for condition syntax errors. */
  condition?: { line: number; column: number; text: string };
}

/**
 * A rules file that cannot be loaded, reported as Falco does: the file and item position, the
 * item, and for conditions the position inside the condition.
 * `rules.yaml:129:3: rule 'X': condition 1:12: unexpected token after 'and' …`
 */
export class RulesError extends BosunError {
  readonly location: RulesErrorLocation;
  readonly reason: string;
  constructor(reason: string, location: RulesErrorLocation) {
    const where = `${location.file}:${location.line}:${location.column}`;
    const item = location.item === undefined ? '' : ` ${location.item}:`;
    const cond = location.condition === undefined ? '' : ` condition ${location.condition.line}:${location.condition.column}:`;
    super('E_AUDIT_RULES', `${where}:${item}${cond} ${reason}`);
    this.name = 'RulesError';
    this.location = location;
    this.reason = reason;
  }
}
