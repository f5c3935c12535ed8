/**
 * A small XML 1.0 well-formedness check for the JUnit tests (no XML dependency): one root,
 * properly nested and matched tags, quoted and unique attributes, no raw `<` or `&` in values,
 * only known entities or character references, no characters XML forbids.
 * Returns the element tree so tests can count elements.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_:][-A-Za-z0-9_:.]*';
const ATTR = new RegExp(`\\s+(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'y');
const INVALID_CHAR = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const ENTITY = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;

export function parseXml(xml: string): XmlElement {
  if (INVALID_CHAR.test(xml)) throw new Error('character not allowed in XML 1.0');
  let i = 0;
  const prolog = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (prolog !== null) i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml.startsWith('</', i)) {
      const m = new RegExp(`</(${NAME})\\s*>`, 'y');
      m.lastIndex = i;
      const close = m.exec(xml);
      const open = stack.pop();
      if (close === null || open === undefined || open.name !== close[1]) throw new Error(`bad closing tag at ${i}`);
      i = m.lastIndex;
    } else if (xml[i] === '<') {
      const m = new RegExp(`<(${NAME})`, 'y');
      m.lastIndex = i;
      const open = m.exec(xml);
      if (open === null) throw new Error(`bad tag at ${i}`);
      i = m.lastIndex;
      const el: XmlElement = { name: open[1]!, attrs: {}, children: [], text: '' };
      for (;;) {
        ATTR.lastIndex = i;
        const a = ATTR.exec(xml);
        if (a === null) break;
        const value = a[2] ?? a[3]!;
        if (a[1]! in el.attrs) throw new Error(`duplicate attribute ${a[1]}`);
        if (value.includes('<')) throw new Error(`raw < in attribute ${a[1]}`);
        el.attrs[a[1]!] = decode(value);
        i = ATTR.lastIndex;
      }
      const end = /\s*(\/?)>/y;
      end.lastIndex = i;
      const e = end.exec(xml);
      if (e === null) throw new Error(`unterminated tag <${el.name}> at ${i}`);
      i = end.lastIndex;
      const parent = stack.at(-1);
      if (parent !== undefined) parent.children.push(el);
      else if (root === undefined) root = el;
      else throw new Error('more than one root element');
      if (e[1] !== '/') stack.push(el);
    } else {
      const next = xml.indexOf('<', i);
      const chunk = xml.slice(i, next === -1 ? xml.length : next);
      const parent = stack.at(-1);
      if (parent === undefined) {
        if (chunk.trim() !== '') throw new Error('text outside the root element');
      } else {
        if (chunk.includes(']]>')) throw new Error("']]>' in text");
        parent.text += decode(chunk);
      }
      i = next === -1 ? xml.length : next;
    }
  }
  if (stack.length > 0 || root === undefined) throw new Error('unclosed elements or no root');
  return root;
}

function decode(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; ) {
    if (raw[i] !== '&') {
      out += raw[i++];
      continue;
    }
    ENTITY.lastIndex = i;
    const m = ENTITY.exec(raw);
    if (m === null) throw new Error(`bad entity reference at ${i}`);
    const ref = m[0].slice(1, -1);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    out += named[ref] ?? String.fromCodePoint(ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    i = ENTITY.lastIndex;
  }
  return out;
}

/** All elements named `name`, depth first. */
export function elements(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement): void => {
    if (el.name === name) out.push(el);
    el.children.forEach(walk);
  };
  walk(root);
  return out;
}
