/**
 * One pass over an HTML page that keeps what the spider and the passive rules read: elements
 * with their attributes, forms with their fields, comments and inline script text. Tag and
 * attribute names are lower-cased; attribute values are entity-decoded; the first of duplicated
 * attributes wins (HTML §13.2.5.33).
 *
 * The scanner follows the tokenization rules of HTML §13.2.5 for what it keeps — tags and their
 * attributes (quoted, unquoted, valueless; `>` inside quotes), comments (`<!-->` and unterminated
 * ones included), bogus comments (`<!…>`, `<?…>`, `</ …>`), raw-text and RCDATA elements (script,
 * style, textarea, title, xmp, iframe, noembed, noframes), a tag cut by the end of the input
 * (dropped) — and jumps with indexOf between `<`s instead of stepping a state machine per
 * character: text is skipped, not tokenized. On text-heavy pages this is several times faster
 * than a general tokenizer, and parsing was the largest share of the scan's CPU per page
 * (`npm run bench:dast`). `test/dast/html.test.ts` checks it against htmlparser2 on tricky input.
 */
import { decodeHTMLAttribute } from 'entities/decode';

export interface HtmlElement {
  name: string;
  attrs: Record<string, string>;
  /** Index of the enclosing form in `HtmlDoc.forms`, for form fields. */
  form?: number;
}

export interface HtmlForm {
  attrs: Record<string, string>;
  fields: HtmlElement[];
}

export interface HtmlDoc {
  /** Elements that carry attributes (others say nothing to the spider or the rules), in document order, at most MAX_ELEMENTS. */
  elements: HtmlElement[];
  /** The same elements by tag name. */
  byName: Map<string, HtmlElement[]>;
  forms: HtmlForm[];
  comments: string[];
  /** Text of inline <script> elements. */
  scripts: string[];
  /** The first <base href>, which relative links resolve against. */
  baseHref?: string;
}

const FIELD_TAGS = new Set(['input', 'select', 'textarea', 'button']);
/** Elements whose content is text up to their end tag (HTML §13.2.5.2–3 and the tree builder's raw-text list). */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

/** A page with more elements than this is hostile or generated; the rest is not modelled. */
export const MAX_ELEMENTS = 100_000;

/** Elements named `name`, in document order. */
export function tags(doc: HtmlDoc, name: string): readonly HtmlElement[] {
  return doc.byName.get(name) ?? [];
}

// Character classes of the tokenizer, by char code.
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

interface Tag {
  name: string;
  attrs: Record<string, string>;
  hasAttrs: boolean;
  /** Index just past the closing `>`. */
  end: number;
}

/**
 * The tag starting at `i` (just past `<` or `</`), or undefined when the input ends inside it.
 * Attribute parsing is the spec's (before-name, name, after-name, before-value, value states).
 */
function readTag(html: string, i: number, keepAttrs: boolean): Tag | undefined {
  const n = html.length;
  let j = i;
  while (j < n) {
    const c = html.charCodeAt(j);
    if (isSpace(c) || c === 47 /* / */ || c === 62 /* > */) break;
    j++;
  }
  const name = html.slice(i, j).toLowerCase();
  const attrs: Record<string, string> = {};
  let hasAttrs = false;
  for (;;) {
    while (j < n && (isSpace(html.charCodeAt(j)) || html.charCodeAt(j) === 47)) j++;
    if (j >= n) return undefined;
    if (html.charCodeAt(j) === 62) return { name, attrs, hasAttrs, end: j + 1 };
    // Attribute name: a leading '=' belongs to it (§13.2.5.32).
    const a = j++;
    while (j < n) {
      const c = html.charCodeAt(j);
      if (isSpace(c) || c === 47 || c === 62 || c === 61 /* = */) break;
      j++;
    }
    const attr = html.slice(a, j).toLowerCase();
    while (j < n && isSpace(html.charCodeAt(j))) j++;
    let value = '';
    if (j < n && html.charCodeAt(j) === 61) {
      j++;
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      if (j >= n) return undefined;
      const q = html.charCodeAt(j);
      if (q === 34 || q === 39) {
        const close = html.indexOf(q === 34 ? '"' : "'", j + 1);
        if (close === -1) return undefined;
        value = html.slice(j + 1, close);
        j = close + 1;
      } else if (q !== 62) {
        const v = j;
        while (j < n && !isSpace(html.charCodeAt(j)) && html.charCodeAt(j) !== 62) j++;
        value = html.slice(v, j);
      }
    }
    if (keepAttrs && !Object.hasOwn(attrs, attr)) {
      attrs[attr] = value.includes('&') ? decodeHTMLAttribute(value) : value;
      hasAttrs = true;
    }
  }
}

/** Index of the end tag `</name` (any case, followed by space, `/`, `>` or the end) at or after `from`, or -1. */
function findEndTag(html: string, name: string, from: number): number {
  for (let i = html.indexOf('</', from); i !== -1; i = html.indexOf('</', i + 2)) {
    const after = i + 2 + name.length;
    if (html.slice(i + 2, after).toLowerCase() !== name) continue;
    const c = html.charCodeAt(after);
    if (Number.isNaN(c) || isSpace(c) || c === 47 || c === 62) return i;
  }
  return -1;
}

export function parseHtml(html: string): HtmlDoc {
  const doc: HtmlDoc = { elements: [], byName: new Map(), forms: [], comments: [], scripts: [] };
  const n = html.length;
  let form = -1;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1 || lt + 1 >= n) break;
    const c = html.charCodeAt(lt + 1);
    if (isAlpha(c)) {
      const full = doc.elements.length < MAX_ELEMENTS;
      const tag = readTag(html, lt + 1, full);
      if (tag === undefined) break; // EOF inside a tag: the tag is dropped.
      i = tag.end;
      if (full) form = openTag(doc, tag, form);
      if (RAW_TEXT.has(tag.name)) {
        const close = findEndTag(html, tag.name, i);
        const text = html.slice(i, close === -1 ? n : close);
        if (full && tag.name === 'script' && tag.attrs['src'] === undefined) doc.scripts.push(text);
        if (close === -1) break;
        i = close;
      }
    } else if (c === 47 /* / */) {
      const c2 = html.charCodeAt(lt + 2);
      if (isAlpha(c2)) {
        const tag = readTag(html, lt + 2, false);
        if (tag === undefined) break;
        if (tag.name === 'form') form = -1;
        i = tag.end;
      } else if (c2 === 62) i = lt + 3; // `</>` is ignored
      else i = bogusComment(html, lt + 2, doc);
    } else if (c === 33 /* ! */) {
      if (html.startsWith('--', lt + 2)) i = comment(html, lt + 4, doc);
      else if (/^doctype/i.test(html.slice(lt + 2, lt + 9))) i = skipTo(html, lt + 2);
      else i = bogusComment(html, lt + 2, doc);
    } else if (c === 63 /* ? */) {
      i = bogusComment(html, lt + 1, doc);
    } else {
      i = lt + 1; // a '<' in text
    }
  }
  return doc;
}

function openTag(doc: HtmlDoc, tag: Tag, form: number): number {
  const { name, attrs } = tag;
  const el: HtmlElement = { name, attrs };
  if (name === 'form') {
    doc.forms.push({ attrs, fields: [] });
    form = doc.forms.length - 1;
  } else if (FIELD_TAGS.has(name) && form !== -1) {
    el.form = form;
    doc.forms[form]!.fields.push(el);
  } else if (name === 'base' && doc.baseHref === undefined && attrs['href'] !== undefined) {
    doc.baseHref = attrs['href'];
  }
  if (!tag.hasAttrs && name !== 'script' && !FIELD_TAGS.has(name)) return form;
  doc.elements.push(el);
  let list = doc.byName.get(name);
  if (list === undefined) doc.byName.set(name, (list = []));
  list.push(el);
  return form;
}

/** `<!--` … `-->` (or `--!>`) starting after `<!--`; `<!-->`, `<!--->` are empty comments; EOF ends it. */
function comment(html: string, start: number, doc: HtmlDoc): number {
  if (html.startsWith('>', start)) return keepComment(doc, '', start + 1);
  if (html.startsWith('->', start)) return keepComment(doc, '', start + 2);
  const end = html.indexOf('-->', start);
  const bang = html.indexOf('--!>', start);
  if (bang !== -1 && (end === -1 || bang < end)) return keepComment(doc, html.slice(start, bang), bang + 4);
  if (end === -1) return keepComment(doc, html.slice(start), html.length);
  return keepComment(doc, html.slice(start, end), end + 3);
}

/** `<!…>`, `<![CDATA[…]]>`, `<?…>`, `</ …>`: a bogus comment up to the next `>` (§13.2.5.41). */
function bogusComment(html: string, start: number, doc: HtmlDoc): number {
  const end = html.indexOf('>', start);
  return keepComment(doc, html.slice(start, end === -1 ? html.length : end), end === -1 ? html.length : end + 1);
}

/** Past the next `>` (a doctype says nothing to the rules). */
function skipTo(html: string, start: number): number {
  const end = html.indexOf('>', start);
  return end === -1 ? html.length : end + 1;
}

function keepComment(doc: HtmlDoc, text: string, next: number): number {
  if (doc.comments.length < MAX_ELEMENTS) doc.comments.push(text);
  return next;
}
