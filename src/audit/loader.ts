/**
 * Falco's rules loader for the `k8s_audit` source: lists, macros and rules from one or more
 * files into one namespace, with `append`/`override`, redefinition, `enabled`, `exceptions`,
 * `required_engine_version` and `required_plugin_versions`, then compiled in Falco's order
 * (shared/reference/falco-k8s-audit.md §4.1–4.2):
 *
 *   1. every definition, append or override takes the next index of one counter; a redefinition
 *      keeps the first index (evaluation order) and moves the visibility;
 *   2. lists flatten one level (items naming an earlier list take its raw items);
 *   3. list names are substituted into condition *text*, before parsing;
 *   4. macros resolve in the tree: a macro sees macros with a smaller index than its visibility,
 *      rules see every macro;
 *   5. fields and operators are checked (list fields take only in/intersects/exists), outputs
 *      are compiled.
 */
import { ConditionSyntaxError, LIST_OPERATORS, parseCondition, positionIn, toRegExp, type Expr, type Operand } from './condition.ts';
import { FIELDS, parseFieldArg } from './fields.ts';
import { compileOutput, type OutputFormat } from './output.ts';
import { parsePriority, priorityRank, type Priority } from './priority.ts';
import { RulesError, type RulesErrorLocation } from './rules-error.ts';
import { readRulesItems, type RulesItem, type RulesSource } from './rules-file.ts';

/** The Falco engine version whose rule language bosun implements (Falco 0.41: regex, transformers, override). */
export const ENGINE_VERSION = '0.50.0';
/** The plugin versions whose fields bosun implements. */
export const PLUGIN_VERSIONS: Readonly<Record<string, string>> = { k8saudit: '0.18.0', 'k8saudit-aks': '0.6.0', 'k8saudit-eks': '0.12.0', 'k8saudit-gke': '0.9.0', 'k8saudit-ovh': '0.6.0', json: '0.7.0' };

export const AUDIT_SOURCE = 'k8s_audit';

interface Pos {
  file: string;
  line: number;
  column: number;
}

interface ListDef {
  name: string;
  items: string[];
  index: number;
  visibility: number;
  pos: Pos;
}

interface MacroDef {
  name: string;
  condition: string;
  index: number;
  visibility: number;
  pos: Pos;
  ast?: Expr;
  resolved?: Expr;
}

export interface RuleException {
  name: string;
  fields: string | string[];
  comps: string | string[];
  /** Single-field form: strings; list form: one tuple (of strings or string lists) per entry. */
  values: unknown[];
}

interface RuleDef {
  name: string;
  condition: string;
  output: string;
  desc: string;
  priority: Priority;
  source: string;
  enabled: boolean;
  tags: string[];
  exceptions: RuleException[];
  skipIfUnknownFilter: boolean;
  index: number;
  pos: Pos;
}

/** A compiled rule of the k8s_audit source. */
export interface AuditRule {
  name: string;
  desc: string;
  priority: Priority;
  source: string;
  tags: string[];
  enabled: boolean;
  /** Condition text after exceptions and list substitution, as parsed. */
  condition: string;
  /** Condition tree with macros inlined (`macro` nodes carry their `body`). */
  expr: Expr;
  output: OutputFormat;
  /** Evaluation order: index of the first definition. */
  index: number;
  file: string;
  line: number;
}

export interface Ruleset {
  /** Enabled and disabled k8s_audit rules in evaluation order. */
  rules: AuditRule[];
  /** Rule names of other sources that were skipped. */
  skipped: string[];
  warnings: string[];
  requiredEngineVersion?: string;
  requiredPlugins: { name: string; version: string; alternatives: { name: string; version: string }[] }[];
  lists: ReadonlyMap<string, string[]>;
  macros: ReadonlyMap<string, string>;
}

export interface LoadRulesOptions {
  /** Rules less severe than this are not loaded (Falco's `priority:`); default Debug. */
  minPriority?: Priority;
}

const RULE_KEYS = new Set(['rule', 'condition', 'output', 'desc', 'priority', 'source', 'enabled', 'tags', 'exceptions', 'append', 'override', 'capture', 'capture_duration', 'warn_evttypes', 'skip-if-unknown-filter']);
const OVERRIDE_APPEND = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const OVERRIDE_REPLACE = new Set(['condition', 'output', 'desc', 'priority', 'capture', 'capture_duration', 'tags', 'exceptions', 'enabled', 'warn_evttypes', 'skip-if-unknown-filter']);

function where(item: RulesItem, what?: string): RulesErrorLocation {
  const loc: RulesErrorLocation = { file: item.file, line: item.line, column: item.column };
  if (what !== undefined) loc.item = what;
  return loc;
}

function str(v: unknown, item: RulesItem, key: string, what: string): string {
  if (typeof v !== 'string') throw new RulesError(`Value for key '${key}' must be a string`, where(item, what));
  return v;
}

function bool(v: unknown, item: RulesItem, key: string, what: string): boolean {
  const t = typeof v === 'string' ? v.toLowerCase() : undefined;
  if (t === 'true' || t === 'yes' || t === 'on' || t === 'y') return true;
  if (t === 'false' || t === 'no' || t === 'off' || t === 'n') return false;
  throw new RulesError(`Value for key '${key}' must be a boolean`, where(item, what));
}

function strings(v: unknown, item: RulesItem, key: string, what: string): string[] {
  if (!Array.isArray(v)) throw new RulesError(`Value for key '${key}' must be a sequence`, where(item, what));
  const out: string[] = [];
  for (const x of v) {
    if (x === null || x === undefined) continue;
    if (typeof x !== 'string') throw new RulesError(`Items of '${key}' must be scalars`, where(item, what));
    out.push(x);
  }
  return out;
}

/** `override:` as a key → 'append' | 'replace' map, validated against the item's keys. */
function overrideMap(item: RulesItem, what: string, allowAppend: Set<string>, allowReplace: Set<string>, identity: string): Map<string, 'append' | 'replace'> {
  const o = item.value['override'];
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new RulesError(`Value for key 'override' must be a mapping`, where(item, what));
  const map = new Map<string, 'append' | 'replace'>();
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (v !== 'append' && v !== 'replace') throw new RulesError(`Override type for key '${k}' must be 'append' or 'replace'`, where(item, what));
    if (v === 'append' && !allowAppend.has(k)) throw new RulesError(`Key '${k}' cannot be appended to`, where(item, what));
    if (v === 'replace' && !allowReplace.has(k)) throw new RulesError(`Key '${k}' cannot be replaced`, where(item, what));
    if (!Object.hasOwn(item.value, k)) throw new RulesError(`An override for '${k}' was specified but '${k}' is not defined`, where(item, what));
    map.set(k, v);
  }
  for (const k of Object.keys(item.value)) {
    if (k === identity || k === 'override') continue;
    if (!map.has(k)) throw new RulesError(`'${k}' has no override defined (every key of an override item needs one)`, where(item, what));
  }
  return map;
}

function parseExceptions(v: unknown, item: RulesItem, what: string, requireFields: boolean): RuleException[] {
  if (!Array.isArray(v)) throw new RulesError(`Value for key 'exceptions' must be a sequence`, where(item, what));
  const out: RuleException[] = [];
  for (const e of v) {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new RulesError('Each exception must be a mapping', where(item, what));
    const ex = e as Record<string, unknown>;
    if (typeof ex['name'] !== 'string' || ex['name'] === '') throw new RulesError("Item has no mapping for key 'name'", where(item, `${what} exception`));
    const name = ex['name'];
    const fields = ex['fields'];
    if (fields === undefined && requireFields) throw new RulesError("Item has no mapping for key 'fields'", where(item, `${what} exception '${name}'`));
    const values = ex['values'] === undefined ? [] : ex['values'];
    if (!Array.isArray(values)) throw new RulesError("Value for key 'values' must be a sequence", where(item, `${what} exception '${name}'`));
    const rex: RuleException = { name, fields: [], comps: [], values: values.filter((x) => x !== null) };
    if (fields !== undefined) {
      if (typeof fields === 'string') {
        rex.fields = fields;
        const comps = ex['comps'] ?? 'in';
        if (typeof comps !== 'string' || !LIST_OPERATORS.has(comps)) throw new RulesError(`Exception with a single field must use a list comparison (in, intersects, pmatch), got '${String(comps)}'`, where(item, `${what} exception '${name}'`));
        rex.comps = comps;
      } else {
        const fl = strings(fields, item, 'fields', `${what} exception '${name}'`);
        rex.fields = fl;
        const comps = ex['comps'] === undefined ? fl.map(() => '=') : strings(ex['comps'], item, 'comps', `${what} exception '${name}'`);
        if (comps.length !== fl.length) throw new RulesError('Fields and comps lists must have equal length', where(item, `${what} exception '${name}'`));
        rex.comps = comps;
      }
    }
    out.push(rex);
  }
  return out;
}

function mergeExceptions(into: RuleException[], add: RuleException[]): void {
  for (const ex of add) {
    const prev = into.find((e) => e.name === ex.name);
    if (prev === undefined) into.push(ex);
    else prev.values.push(...ex.values);
  }
}

/** Quote an item holding a space, as Falco does when building condition text. */
function quoteItem(v: string): string {
  if (v.includes(' ') && v[0] !== '"' && v[0] !== "'") return `"${v}"`;
  return v;
}

function parenItem(v: string): string {
  return v.startsWith('(') ? v : `(${v})`;
}

/** Exceptions become condition text: `(COND) and not ((f1 c1 v1 and f2 c2 v2) or (…))`. */
function withExceptions(condition: string, exceptions: RuleException[], item: RulesItem, what: string): string {
  let cond = `(${condition})`;
  for (const ex of exceptions) {
    let icond = '';
    if (typeof ex.fields === 'string') {
      const vals: string[] = [];
      for (const v of ex.values) {
        if (typeof v !== 'string') throw new RulesError('Expected values array to contain a list of strings', where(item, `${what} exception '${ex.name}'`));
        vals.push(quoteItem(v));
      }
      if (vals.length > 0) icond = `(${ex.fields} ${String(ex.comps)} (${vals.join(', ')}))`;
    } else {
      const parts: string[] = [];
      for (const tuple of ex.values) {
        if (!Array.isArray(tuple) || tuple.length !== ex.fields.length) throw new RulesError('Fields and values lists must have equal length', where(item, `${what} exception '${ex.name}'`));
        const conj = ex.fields.map((f, k) => {
          const v = tuple[k] as unknown;
          const comp = (ex.comps as string[])[k]!;
          let rhs: string;
          if (Array.isArray(v)) rhs = `(${v.map((x) => quoteItem(String(x))).join(', ')})`;
          else rhs = LIST_OPERATORS.has(comp) ? parenItem(String(v)) : quoteItem(String(v));
          return `${f} ${comp} ${rhs}`;
        });
        parts.push(`(${conj.join(' and ')})`);
      }
      if (parts.length > 0) icond = `(${parts.join(' or ')})`;
    }
    if (icond !== '') cond += ` and not ${icond}`;
  }
  return cond;
}

const BLANKS = ' \t\n\r';
const DELIMS = ' \t\n\r(),=';

/**
 * Textual list substitution (Falco's resolve_list): every occurrence of the list name bounded by
 * start/end or a delimiter is replaced by its items joined with ", ", swallowing blanks around
 * it; an empty list also removes one adjacent comma.
 */
export function substituteList(cond: string, name: string, items: readonly string[]): string {
  let start = cond.indexOf(name);
  while (start !== -1) {
    let end = start + name.length;
    if ((start === 0 || DELIMS.includes(cond[start - 1]!)) && (end >= cond.length || DELIMS.includes(cond[end]!))) {
      while (start > 0 && BLANKS.includes(cond[start - 1]!)) start--;
      while (end < cond.length && BLANKS.includes(cond[end]!)) end++;
      const sub = items.map(quoteItem).join(', ');
      if (sub === '') {
        if (start > 0 && cond[start - 1] === ',') start--;
        else if (end < cond.length && cond[end] === ',') end++;
      }
      let next = start > 0 ? `${cond.slice(0, start)} ` : '';
      next += `${sub} `;
      next += cond.slice(end);
      cond = next;
      start += sub.length + 1;
    }
    start = cond.indexOf(name, start + 1);
  }
  return cond;
}

/** Loads rules files in order into one ruleset. Throws RulesError on the first problem. */
export function loadRules(sources: readonly RulesSource[], options: LoadRulesOptions = {}): Ruleset {
  const lists = new Map<string, ListDef>();
  const macros = new Map<string, MacroDef>();
  const rules = new Map<string, RuleDef>();
  const warnings: string[] = [];
  const requiredPlugins: Ruleset['requiredPlugins'] = [];
  let requiredEngineVersion: string | undefined;
  let counter = 0;

  for (const src of sources) {
    for (const item of readRulesItems(src)) {
      const v = item.value;
      const pos: Pos = { file: item.file, line: item.line, column: item.column };
      if (Object.hasOwn(v, 'required_engine_version')) {
        const req = v['required_engine_version'];
        if (typeof req !== 'string') throw new RulesError("Value for key 'required_engine_version' must be a version", where(item));
        const semver = /^[0-9]+$/.test(req) ? `0.${Number(req)}.0` : req;
        if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(semver)) throw new RulesError(`Unable to parse engine version '${req}' as a semver string. Expected "x.y.z" semver format.`, where(item));
        if (!engineCompatible(semver)) throw new RulesError(`Rules require engine version ${semver}, but engine version is ${ENGINE_VERSION}`, where(item));
        if (requiredEngineVersion === undefined || compareSemver(semver, requiredEngineVersion) > 0) requiredEngineVersion = semver;
      } else if (Object.hasOwn(v, 'required_plugin_versions')) {
        const req = v['required_plugin_versions'];
        if (!Array.isArray(req)) throw new RulesError("Value for key 'required_plugin_versions' must be a sequence", where(item));
        for (const r of req) {
          if (r === null || typeof r !== 'object' || typeof (r as Record<string, unknown>)['name'] !== 'string' || typeof (r as Record<string, unknown>)['version'] !== 'string') throw new RulesError('required_plugin_versions entries need a name and a version', where(item));
          const rr = r as { name: string; version: string; alternatives?: unknown };
          const alternatives = Array.isArray(rr.alternatives) ? (rr.alternatives as { name: string; version: string }[]).filter((a) => a !== null && typeof a === 'object').map((a) => ({ name: String(a.name), version: String(a.version) })) : [];
          requiredPlugins.push({ name: rr.name, version: rr.version, alternatives });
          const satisfied = [{ name: rr.name, version: rr.version }, ...alternatives].some((a) => PLUGIN_VERSIONS[a.name] !== undefined && compareSemver(PLUGIN_VERSIONS[a.name]!, a.version) >= 0);
          const known = [rr.name, ...alternatives.map((a) => a.name)].some((n) => PLUGIN_VERSIONS[n] !== undefined);
          if (known && !satisfied) warnings.push(`${item.file}:${item.line}: rules require plugin ${rr.name} ${rr.version}; bosun implements the fields of k8saudit ${PLUGIN_VERSIONS['k8saudit']} and json ${PLUGIN_VERSIONS['json']}`);
        }
      } else if (Object.hasOwn(v, 'list')) {
        loadList(item, pos);
      } else if (Object.hasOwn(v, 'macro')) {
        loadMacro(item, pos);
      } else if (Object.hasOwn(v, 'rule')) {
        loadRule(item, pos);
      } else {
        warnings.push(`${item.file}:${item.line}:${item.column}: unknown top level object (${Object.keys(v).join(', ')})`);
      }
    }
  }

  function loadList(item: RulesItem, pos: Pos): void {
    const name = str(item.value['list'], item, 'list', 'list');
    const what = `list '${name}'`;
    if (name === '') throw new RulesError('List name is empty', where(item, what));
    for (const k of Object.keys(item.value)) if (!['list', 'items', 'append', 'override'].includes(k)) warnings.push(`${item.file}:${item.line}: ${what}: unknown key '${k}'`);
    if (!Object.hasOwn(item.value, 'items')) throw new RulesError("Item has no mapping for key 'items'", where(item, what));
    const items = item.value['items'] === null ? [] : strings(item.value['items'], item, 'items', what);
    const append = item.value['append'] !== undefined && bool(item.value['append'], item, 'append', what);
    let mode: 'append' | 'replace' | 'define' = append ? 'append' : 'define';
    if (item.value['override'] !== undefined) {
      if (append) throw new RulesError("Keys 'override' and 'append: true' cannot be used together", where(item, what));
      mode = overrideMap(item, what, new Set(['items']), new Set(['items']), 'list').get('items') ?? 'replace';
    }
    const prev = lists.get(name);
    const index = ++counter;
    if (mode !== 'define') {
      if (prev === undefined) throw new RulesError(`List has '${mode === 'append' ? 'append' : 'override'}' key but no list by that name already exists`, where(item, what));
      prev.items = mode === 'append' ? [...prev.items, ...items] : items;
      prev.visibility = index;
      return;
    }
    if (prev !== undefined) {
      prev.items = items;
      prev.visibility = index;
      prev.pos = pos;
      return;
    }
    lists.set(name, { name, items, index, visibility: index, pos });
  }

  function loadMacro(item: RulesItem, pos: Pos): void {
    const name = str(item.value['macro'], item, 'macro', 'macro');
    const what = `macro '${name}'`;
    if (name === '') throw new RulesError('Macro name is empty', where(item, what));
    for (const k of Object.keys(item.value)) if (!['macro', 'condition', 'append', 'override'].includes(k)) warnings.push(`${item.file}:${item.line}: ${what}: unknown key '${k}'`);
    if (!Object.hasOwn(item.value, 'condition')) throw new RulesError("Item has no mapping for key 'condition'", where(item, what));
    const condition = str(item.value['condition'], item, 'condition', what);
    const append = item.value['append'] !== undefined && bool(item.value['append'], item, 'append', what);
    let mode: 'append' | 'replace' | 'define' = append ? 'append' : 'define';
    if (item.value['override'] !== undefined) {
      if (append) throw new RulesError("Keys 'override' and 'append: true' cannot be used together", where(item, what));
      mode = overrideMap(item, what, new Set(['condition']), new Set(['condition']), 'macro').get('condition') ?? 'replace';
    }
    const prev = macros.get(name);
    const index = ++counter;
    if (mode !== 'define') {
      if (prev === undefined) throw new RulesError(`Macro has '${mode === 'append' ? 'append' : 'override'}' key but no macro by that name already exists`, where(item, what));
      prev.condition = mode === 'append' ? `${prev.condition} ${condition}` : condition;
      prev.visibility = index;
      prev.pos = pos;
      return;
    }
    if (prev !== undefined) {
      prev.condition = condition;
      prev.visibility = index;
      prev.pos = pos;
      return;
    }
    macros.set(name, { name, condition, index, visibility: index, pos });
  }

  function loadRule(item: RulesItem, pos: Pos): void {
    const v = item.value;
    const name = str(v['rule'], item, 'rule', 'rule');
    const what = `rule '${name}'`;
    if (name === '') throw new RulesError('Rule name is empty', where(item, what));
    for (const k of Object.keys(v)) if (!RULE_KEYS.has(k)) warnings.push(`${item.file}:${item.line}: ${what}: unknown key '${k}'`);
    const prev = rules.get(name);
    const append = v['append'] !== undefined && bool(v['append'], item, 'append', what);
    if (v['override'] !== undefined) {
      if (append) throw new RulesError("Keys 'override' and 'append: true' cannot be used together", where(item, what));
      const map = overrideMap(item, what, OVERRIDE_APPEND, OVERRIDE_REPLACE, 'rule');
      if (prev === undefined) throw new RulesError("Rule has 'override' key but no rule by that name already exists", where(item, what));
      counter++;
      for (const [k, mode] of map) applyRuleKey(prev, k, mode, item, what);
      return;
    }
    if (append) {
      if (prev === undefined) throw new RulesError("Rule has 'append' key but no rule by that name already exists", where(item, what));
      counter++;
      if (v['condition'] === undefined && v['exceptions'] === undefined && v['output'] === undefined) throw new RulesError("Appended rule must have exceptions or condition property", where(item, what));
      if (v['condition'] !== undefined) applyRuleKey(prev, 'condition', 'append', item, what);
      if (v['exceptions'] !== undefined) applyRuleKey(prev, 'exceptions', 'append', item, what);
      if (v['output'] !== undefined) applyRuleKey(prev, 'output', 'append', item, what);
      return;
    }
    const onlyEnabled = Object.keys(v).every((k) => k === 'rule' || k === 'enabled');
    if (onlyEnabled && v['enabled'] !== undefined) {
      if (prev === undefined) throw new RulesError("Rule has 'enabled' key but no rule by that name already exists", where(item, what));
      counter++;
      prev.enabled = bool(v['enabled'], item, 'enabled', what);
      return;
    }
    for (const key of ['condition', 'output', 'desc', 'priority']) {
      if (v[key] === undefined) throw new RulesError(`Item has no mapping for key '${key}'`, where(item, what));
    }
    const priorityText = str(v['priority'], item, 'priority', what);
    const priority = parsePriority(priorityText);
    if (priority === undefined) throw new RulesError(`Invalid priority level: ${priorityText}`, where(item, what));
    const source = v['source'] === undefined ? 'syscall' : str(v['source'], item, 'source', what);
    const def: RuleDef = {
      name,
      condition: str(v['condition'], item, 'condition', what),
      output: str(v['output'], item, 'output', what).trim(),
      desc: str(v['desc'], item, 'desc', what),
      priority,
      source,
      enabled: v['enabled'] === undefined ? true : bool(v['enabled'], item, 'enabled', what),
      tags: v['tags'] === undefined || v['tags'] === null ? [] : [...new Set(strings(v['tags'], item, 'tags', what))].sort(),
      exceptions: v['exceptions'] === undefined || v['exceptions'] === null ? [] : parseExceptions(v['exceptions'], item, what, true),
      skipIfUnknownFilter: v['skip-if-unknown-filter'] === undefined ? false : bool(v['skip-if-unknown-filter'], item, 'skip-if-unknown-filter', what),
      index: ++counter,
      pos,
    };
    if (prev !== undefined) {
      if (prev.source !== source) throw new RulesError(`Rule has been re-defined with a different source (was '${prev.source}', now '${source}')`, where(item, what));
      def.index = prev.index;
    }
    rules.set(name, def);
  }

  function applyRuleKey(rule: RuleDef, key: string, mode: 'append' | 'replace', item: RulesItem, what: string): void {
    const v = item.value[key];
    switch (key) {
      case 'condition': {
        const c = str(v, item, key, what);
        rule.condition = mode === 'append' ? `${rule.condition} ${c}` : c;
        break;
      }
      case 'output': {
        const o = str(v, item, key, what).trim();
        rule.output = mode === 'append' ? `${rule.output} ${o}` : o;
        break;
      }
      case 'desc': {
        const d = str(v, item, key, what);
        rule.desc = mode === 'append' ? `${rule.desc} ${d}` : d;
        break;
      }
      case 'tags': {
        const t = v === null ? [] : strings(v, item, key, what);
        rule.tags = [...new Set(mode === 'append' ? [...rule.tags, ...t] : t)].sort();
        break;
      }
      case 'exceptions': {
        const ex = v === null ? [] : parseExceptions(v, item, what, false);
        if (mode === 'append') mergeExceptions(rule.exceptions, ex);
        else rule.exceptions = ex;
        break;
      }
      case 'priority': {
        const p = parsePriority(str(v, item, key, what));
        if (p === undefined) throw new RulesError(`Invalid priority level: ${String(v)}`, where(item, what));
        rule.priority = p;
        break;
      }
      case 'enabled':
        rule.enabled = bool(v, item, key, what);
        break;
      case 'skip-if-unknown-filter':
        rule.skipIfUnknownFilter = bool(v, item, key, what);
        break;
      default:
        // capture, capture_duration, warn_evttypes: syscall-only settings, accepted and ignored.
        break;
    }
  }

  return compile(lists, macros, rules, { warnings, requiredPlugins, requiredEngineVersion, minPriority: options.minPriority ?? 'Debug' });
}

function compareSemver(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function engineCompatible(required: string): boolean {
  const [rMajor] = required.split('.').map(Number);
  const [eMajor] = ENGINE_VERSION.split('.').map(Number);
  return rMajor === eMajor && compareSemver(ENGINE_VERSION, required) >= 0;
}

function compile(lists: Map<string, ListDef>, macros: Map<string, MacroDef>, rules: Map<string, RuleDef>, meta: { warnings: string[]; requiredPlugins: Ruleset['requiredPlugins']; requiredEngineVersion: string | undefined; minPriority: Priority }): Ruleset {
  // 1. flatten lists one level, in definition order.
  const ordered = [...lists.values()].sort((a, b) => a.index - b.index);
  const flat = new Map<string, string[]>();
  for (const l of ordered) {
    const out: string[] = [];
    for (const it of l.items) {
      const ref = lists.get(it);
      if (ref !== undefined && ref.index < l.visibility && ref !== l) out.push(...ref.items);
      else out.push(it);
    }
    flat.set(l.name, out);
  }
  const substitute = (cond: string): string => {
    for (const l of ordered) if (cond.includes(l.name)) cond = substituteList(cond, l.name, flat.get(l.name)!);
    return cond;
  };

  // 2. parse every macro, then resolve each with its visibility.
  const orderedMacros = [...macros.values()].sort((a, b) => a.index - b.index);
  for (const m of orderedMacros) {
    const text = substitute(m.condition);
    m.ast = parseOrThrow(text, m.pos, `macro '${m.name}'`);
  }
  for (const m of orderedMacros) {
    m.resolved = resolveMacros(m.ast!, (n) => {
      const d = macros.get(n);
      return d !== undefined && d.index < m.visibility ? d : undefined;
    }, [m.name], m.pos, `macro '${m.name}'`);
  }

  // 3. rules of the k8s_audit source.
  const out: AuditRule[] = [];
  const skipped: string[] = [];
  const minRank = priorityRank(meta.minPriority);
  for (const r of [...rules.values()].sort((a, b) => a.index - b.index)) {
    if (r.source !== AUDIT_SOURCE) {
      skipped.push(r.name);
      continue;
    }
    const what = `rule '${r.name}'`;
    const text = substitute(r.exceptions.length > 0 ? withExceptions(r.condition, r.exceptions, { file: r.pos.file, line: r.pos.line, column: r.pos.column, value: {} }, what) : r.condition);
    const ast = parseOrThrow(text, r.pos, what);
    const expr = resolveMacros(ast, (n) => macros.get(n), [], r.pos, what);
    const problem = checkFields(expr);
    if (problem !== undefined) {
      if (r.skipIfUnknownFilter && problem.unknown) {
        meta.warnings.push(`${r.pos.file}:${r.pos.line}: ${what}: skipped (${problem.message})`);
        continue;
      }
      const loc: RulesErrorLocation = { file: r.pos.file, line: r.pos.line, column: r.pos.column, item: what };
      if (problem.offset !== undefined && problem.macro === undefined) loc.condition = { ...positionIn(text, problem.offset), text };
      throw new RulesError(problem.message, loc);
    }
    let output: OutputFormat;
    try {
      output = compileOutput(r.output);
    } catch (err) {
      throw new RulesError(`invalid output format: ${(err as Error).message}`, { file: r.pos.file, line: r.pos.line, column: r.pos.column, item: what });
    }
    if (priorityRank(r.priority) > minRank) continue;
    out.push({ name: r.name, desc: r.desc, priority: r.priority, source: r.source, tags: r.tags, enabled: r.enabled, condition: text, expr, output, index: r.index, file: r.pos.file, line: r.pos.line });
  }
  return {
    rules: out,
    skipped,
    warnings: meta.warnings,
    ...(meta.requiredEngineVersion !== undefined && { requiredEngineVersion: meta.requiredEngineVersion }),
    requiredPlugins: meta.requiredPlugins,
    lists: flat,
    macros: new Map([...macros.values()].map((m) => [m.name, m.condition])),
  };
}

function parseOrThrow(text: string, pos: Pos, what: string): Expr {
  try {
    return parseCondition(text);
  } catch (err) {
    if (!(err instanceof ConditionSyntaxError)) throw err;
    const p = positionIn(text, err.offset);
    throw new RulesError(err.message, { file: pos.file, line: pos.line, column: pos.column, item: what, condition: { ...p, text } });
  }
}

function resolveMacros(expr: Expr, lookup: (name: string) => MacroDef | undefined, stack: string[], pos: Pos, what: string): Expr {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return { kind: expr.kind, items: expr.items.map((e) => resolveMacros(e, lookup, stack, pos, what)) };
    case 'not':
      return { kind: 'not', item: resolveMacros(expr.item, lookup, stack, pos, what) };
    case 'check':
      return expr;
    case 'macro': {
      const def = lookup(expr.name);
      if (def === undefined) throw new RulesError(`Undefined macro '${expr.name}' used in filter.`, { file: pos.file, line: pos.line, column: pos.column, item: what });
      if (stack.includes(expr.name)) throw new RulesError(`Macro '${expr.name}' refers to itself (${[...stack, expr.name].join(' → ')})`, { file: pos.file, line: pos.line, column: pos.column, item: what });
      const body = def.resolved ?? resolveMacros(def.ast!, lookup, [...stack, expr.name], pos, what);
      return { kind: 'macro', name: expr.name, pos: expr.pos, body };
    }
  }
}

interface FieldProblem {
  message: string;
  unknown: boolean;
  /** Offset in the rule's condition text, when the problem is not inside a macro. */
  offset?: number;
  macro?: string;
}

/** Unknown fields, bad arguments, and operators a field type does not take. */
function checkFields(expr: Expr): FieldProblem | undefined {
  const operand = (o: Operand): { message: string; unknown: boolean } | { list: boolean; numeric: boolean } => {
    if (o.kind === 'transform') {
      const inner = operand(o.arg);
      if ('message' in inner) return inner;
      if (o.name === 'len') return { list: false, numeric: true };
      return inner;
    }
    const def = FIELDS.get(o.name);
    if (def === undefined) return { message: `filter_check called with nonexistent field ${o.name}`, unknown: true };
    const arg = parseFieldArg(def, o.arg);
    if (!arg.ok) return { message: arg.error, unknown: false };
    return { list: def.list, numeric: def.type !== 'string' };
  };
  const visit = (e: Expr): FieldProblem | undefined => {
    switch (e.kind) {
      case 'and':
      case 'or':
        for (const x of e.items) {
          const p = visit(x);
          if (p !== undefined) return p;
        }
        return undefined;
      case 'not':
        return visit(e.item);
      case 'macro': {
        const p = e.body === undefined ? undefined : visit(e.body);
        // Positions inside a macro are in the macro's text: name the macro instead.
        if (p !== undefined && p.macro === undefined) return { message: `${p.message} (in macro '${e.name}')`, unknown: p.unknown, macro: e.name };
        return p;
      }
      case 'check': {
        const found = check(e);
        return found === undefined ? undefined : { ...found, offset: e.pos };
      }
    }
  };
  const check = (e: Extract<Expr, { kind: 'check' }>): FieldProblem | undefined => {
    const left = operand(e.left);
    if ('message' in left) return left;
    if (left.list && e.op !== 'in' && e.op !== 'intersects' && e.op !== 'exists') return { message: `'${e.op}' is not supported by list field ${describe(e.left)} (list fields take in, intersects and exists)`, unknown: false };
    if (e.value?.kind === 'operand') {
      const right = operand(e.value.operand);
      if ('message' in right) return right;
    }
    if ((e.op === 'bcontains' || e.op === 'bstartswith') && e.value?.kind === 'string' && !/^([0-9a-fA-F]{2})+$/.test(e.value.value)) return { message: `'${e.op}' needs a hex byte string, got '${e.value.value}'`, unknown: false };
    if (e.op === 'regex' && e.value?.kind === 'string') {
      try {
        toRegExp(e.value.value);
      } catch (err) {
        return { message: `invalid regex '${e.value.value}': ${(err as Error).message}`, unknown: false };
      }
    }
    return undefined;
  };
  return visit(expr);
}

function describe(o: Operand): string {
  return o.kind === 'field' ? (o.arg === undefined ? o.name : `${o.name}[${o.arg}]`) : `${o.name}(${describe(o.arg)})`;
}
