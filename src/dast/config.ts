/**
 * zap-baseline's rule configuration file, read and written as ZAP does: one rule per line,
 * tab-separated `<pluginId>\t<IGNORE|INFO|WARN|FAIL>\t(<name, informational>)[\t<message>]`,
 * `#` comments, and URL exclusions `<pluginId[,pluginId…]|*>\tOUTOFSCOPE\t<regex>`. The first
 * column may also be a bosun rule ID (DAST-CSP-MISSING). Levels: IGNORE drops the rule's alerts,
 * INFO and WARN report them, FAIL reports them and fails the gate (exit 1).
 */
import { readFile } from 'node:fs/promises';
import { BosunError } from '../core/errors.ts';
import type { DastRule } from './rule.ts';
import { DAST_RULES, NOT_IMPLEMENTED } from './rules/index.ts';

export const RULE_LEVELS = ['IGNORE', 'INFO', 'WARN', 'FAIL'] as const;
export type RuleLevel = (typeof RULE_LEVELS)[number];

export interface OutOfScope {
  /** Plugin IDs the exclusion applies to; undefined = every rule (`*`). */
  ids?: Set<number>;
  pattern: RegExp;
}

export interface RuleConfig {
  levels: Map<number, RuleLevel>;
  /** Custom text appended to the message of a rule's findings (ZAP's 4th column). */
  messages: Map<number, string>;
  outOfScope: OutOfScope[];
  /** IDs in the file that no bosun rule implements (a newer ZAP add-on, an alpha rule). */
  unknownIds: number[];
  /** ZAP rule options given as zap-baseline's `-z "-config key=value"` (see `parseZapOptions`). */
  settings: Map<string, string>;
  source?: string;
}

export function emptyRuleConfig(): RuleConfig {
  return { levels: new Map(), messages: new Map(), outOfScope: [], unknownIds: [], settings: new Map() };
}

/** Level of a rule: the file's, else WARN (ZAP's default), or INFO for unlisted rules with `unlistedInfo` (ZAP -i). */
export function levelOf(config: RuleConfig, zapId: number, unlistedInfo = false): RuleLevel {
  return config.levels.get(zapId) ?? (unlistedInfo ? 'INFO' : 'WARN');
}

export async function loadRuleConfig(path: string): Promise<RuleConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: cannot read rule configuration: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return { ...parseRuleConfig(text, path), source: path };
}

export function parseRuleConfig(text: string, name: string): RuleConfig {
  const config = emptyRuleConfig();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const where = `${name}:${i + 1}`;
    const cols = line.split('\t');
    if (cols.length < 3) throw new BosunError('E_CONFIG', `${where}: expected at least 3 tab-separated fields (id, level, name), got ${cols.length}`);
    const [idText = '', levelText = ''] = cols.map((c) => c.trim());
    const level = levelText.toUpperCase();
    if (level === 'OUTOFSCOPE') {
      config.outOfScope.push(outOfScope(idText, cols.slice(2).join('\t').trim(), where));
      return;
    }
    if (!(RULE_LEVELS as readonly string[]).includes(level)) throw new BosunError('E_CONFIG', `${where}: level must be IGNORE, INFO, WARN, FAIL or OUTOFSCOPE, got "${levelText}"`);
    const id = ruleId(idText, where);
    if (!DAST_RULES.some((r) => r.zapId === id)) config.unknownIds.push(id);
    config.levels.set(id, level as RuleLevel);
    const message = cols.slice(3).join('\t').trim();
    if (message !== '') config.messages.set(id, message);
  });
  return config;
}

/** ZAP keys by parent plugin ID: `10020-1` means 10020. bosun IDs are accepted too. */
function ruleId(text: string, where: string): number {
  const m = /^(\d+)(?:-\d+)?$/.exec(text);
  if (m !== null) return Number(m[1]);
  const rule = DAST_RULES.find((r) => r.id.toLowerCase() === text.toLowerCase());
  if (rule !== undefined) return rule.zapId;
  throw new BosunError('E_CONFIG', `${where}: "${text}" is not a ZAP plugin ID or a bosun DAST rule ID`);
}

function outOfScope(ids: string, pattern: string, where: string): OutOfScope {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    throw new BosunError('E_CONFIG', `${where}: invalid OUTOFSCOPE regular expression: ${(err as Error).message}`);
  }
  if (ids === '*') return { pattern: re };
  return { ids: new Set(ids.split(',').map((s) => ruleId(s.trim(), where))), pattern: re };
}

export function isOutOfScope(config: RuleConfig, zapId: number, url: string): boolean {
  return config.outOfScope.some((o) => (o.ids === undefined || o.ids.has(zapId)) && o.pattern.test(url));
}

/** The file `--generate-config` writes: every rule at its level (WARN unless `config` says otherwise). */
export function generateRuleConfig(config: RuleConfig = emptyRuleConfig(), rules: readonly DastRule[] = DAST_RULES): string {
  const lines = [
    '# zap-baseline compatible rule configuration, written by bosun dast --generate-config',
    '# One rule per line: <ZAP plugin ID> TAB <IGNORE|INFO|WARN|FAIL> TAB (<name>) [TAB <message>]',
    '# Only the ID and level are read; the name is for people. FAIL rules fail the gate (exit 1).',
    '# Exclude URLs from rules: <ID[,ID…]|*> TAB OUTOFSCOPE TAB <regex>',
  ];
  for (const r of rules) {
    const msg = config.messages.get(r.zapId);
    lines.push(`${r.zapId}\t${levelOf(config, r.zapId)}\t(${r.title})${msg === undefined ? '' : `\t${msg}`}`);
  }
  if (NOT_IMPLEMENTED.length > 0) lines.push('# ZAP baseline rules bosun does not run:');
  for (const [id, title, why] of NOT_IMPLEMENTED) lines.push(`# ${id}\t(${title}): ${why}`);
  return `${lines.join('\n')}\n`;
}

/**
 * ZAP rule options the rules read, as zap-baseline passes them (`-z "-config rules.csrf.ignorelist=search,login"`):
 * `rules.csrf.ignorelist` (form names or IDs not needing an anti-CSRF token),
 * `rules.csrf.ignore.attname` / `rules.csrf.ignore.attvalue` (an attribute marking such forms; their
 * alerts drop to Informational), `rules.cookie.ignorelist` (cookie names the cookie rules skip).
 */
export const ZAP_RULE_OPTIONS = ['rules.csrf.ignorelist', 'rules.csrf.ignore.attname', 'rules.csrf.ignore.attvalue', 'rules.cookie.ignorelist'] as const;

/** `-config key=value` pairs from a zap-baseline `-z` string; other ZAP options are reported back as ignored. */
export function parseZapOptions(text: string): { settings: Map<string, string>; ignored: string[] } {
  const settings = new Map<string, string>();
  const ignored: string[] = [];
  const tokens = text.trim().split(/\s+/).filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t !== '-config' || tokens[i + 1] === undefined) {
      ignored.push(t);
      continue;
    }
    const pair = tokens[++i]!;
    const eq = pair.indexOf('=');
    if (eq === -1) throw new BosunError('E_USAGE', `-z: expected -config key=value, got "${pair}"`);
    const key = pair.slice(0, eq);
    if ((ZAP_RULE_OPTIONS as readonly string[]).includes(key)) settings.set(key, pair.slice(eq + 1));
    else ignored.push(pair);
  }
  return { settings, ignored };
}
