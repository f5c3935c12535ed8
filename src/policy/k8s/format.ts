/**
 * Kubernetes format library (1.31+): format.<name>() and format.named(name) return a named
 * format; <format>.validate(s) gives optional.none() when s is valid, else optional.of(errors)
 * with the apimachinery validation messages.
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { registerNamespace } from './common.ts';
import { parseURL } from './url.ts';

export class NamedFormat {
  readonly name: string;
  readonly check: (s: string) => string[];
  constructor(name: string, check: (s: string) => string[]) {
    this.name = name;
    this.check = check;
  }
  equals(o: unknown): boolean {
    return o instanceof NamedFormat && o.name === this.name;
  }
  toString(): string {
    return this.name;
  }
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}(\\.${LABEL})*`;
const DNS1035 = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QNAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QNAME})?`;

const full = (re: string): RegExp => new RegExp(`^${re}$`);
const maxLen = (n: number): string => `must be no more than ${n} characters`;

const labelMsg = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${LABEL}')`;
const subdomainMsg = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${SUBDOMAIN}')`;
const dns1035Msg = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035}')`;
const qnameMsg = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QNAME}')`;
const labelValueMsg = `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE}')`;

function regexCheck(re: string, msg: string, max: number): (s: string) => string[] {
  const r = full(re);
  return (s) => [...(s.length > max ? [maxLen(max)] : []), ...(r.test(s) ? [] : [msg])];
}

/** A generateName prefix is checked with its trailing '-' replaced by 'a', as apimachinery's maskTrailingDash does. */
function prefix(check: (s: string) => string[]): (s: string) => string[] {
  return (s) => check(s.length > 1 && s.endsWith('-') ? `${s.slice(0, -1)}a` : s);
}

function qualifiedName(s: string): string[] {
  const parts = s.split('/');
  const errs: string[] = [];
  let name = s;
  if (parts.length === 2) {
    const [p, n] = parts as [string, string];
    name = n;
    if (p.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...regexCheck(SUBDOMAIN, subdomainMsg, 253)(p).map((e) => `prefix part ${e}`));
  } else if (parts.length > 2) {
    return [`a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QNAME}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (name.length > 0 && !full(QNAME).test(name)) errs.push(qnameMsg);
  return errs;
}

function validDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: regexCheck(LABEL, labelMsg, 63),
  dns1123Subdomain: regexCheck(SUBDOMAIN, subdomainMsg, 253),
  dns1035Label: regexCheck(DNS1035, dns1035Msg, 63),
  qualifiedName,
  dns1123LabelPrefix: prefix(regexCheck(LABEL, labelMsg, 63)),
  dns1123SubdomainPrefix: prefix(regexCheck(SUBDOMAIN, subdomainMsg, 253)),
  dns1035LabelPrefix: prefix(regexCheck(DNS1035, dns1035Msg, 63)),
  labelValue: regexCheck(LABEL_VALUE, labelValueMsg, 63),
  uri: (s) => (parseURL(s) === undefined ? ['invalid URI'] : []),
  uuid: (s) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => (validDate(s) ? [] : ['invalid date']),
  datetime: (s) => {
    const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
    return m !== null && validDate(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 61 ? [] : ['invalid datetime'];
  },
};

export function registerFormat(env: Environment): void {
  env.registerType('kubernetes.NamedFormat', { ctor: NamedFormat } as never);
  const ns = registerNamespace(env, 'format');
  const instances = new Map(Object.entries(FORMATS).map(([k, v]) => [k, new NamedFormat(k, v)]));
  for (const [name, f] of instances) {
    env.registerFunction(`${ns}.${name}(): kubernetes.NamedFormat`, (() => f) as never);
  }
  env.registerFunction(`${ns}.named(string): optional<kubernetes.NamedFormat>`, ((_: unknown, name: string) => {
    const f = instances.get(name);
    return f === undefined ? Optional.none() : Optional.of(f);
  }) as never);
  env.registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', ((f: NamedFormat, s: string) => {
    const errs = f.check(s);
    return errs.length === 0 ? Optional.none() : Optional.of(errs);
  }) as never);
  env.registerOperator('kubernetes.NamedFormat == kubernetes.NamedFormat', ((a: NamedFormat, b: NamedFormat) => a.equals(b)) as never);
}
