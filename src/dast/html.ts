/**
 * One streaming pass over an HTML page (htmlparser2's tokenizer, no DOM) that keeps what the
 * spider and the passive rules read: elements with their attributes, forms with their fields,
 * comments and inline script text. Attribute names are lower-cased; values are entity-decoded.
 */
import { Parser } from 'htmlparser2';

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

/** A page with more elements than this is hostile or generated; the rest is not modelled. */
export const MAX_ELEMENTS = 100_000;

/** Elements named `name`, in document order. */
export function tags(doc: HtmlDoc, name: string): readonly HtmlElement[] {
  return doc.byName.get(name) ?? [];
}

export function parseHtml(html: string): HtmlDoc {
  const doc: HtmlDoc = { elements: [], byName: new Map(), forms: [], comments: [], scripts: [] };
  let form = -1;
  let script: string[] | undefined;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (doc.elements.length >= MAX_ELEMENTS) return;
        const el: HtmlElement = { name, attrs: attribs };
        if (name === 'form') {
          doc.forms.push({ attrs: attribs, fields: [] });
          form = doc.forms.length - 1;
        } else if (FIELD_TAGS.has(name) && form !== -1) {
          el.form = form;
          doc.forms[form]!.fields.push(el);
        } else if (name === 'base' && doc.baseHref === undefined && attribs['href'] !== undefined) {
          doc.baseHref = attribs['href'];
        } else if (name === 'script' && attribs['src'] === undefined) {
          script = [];
        }
        let hasAttrs = false;
        for (const _ in attribs) {
          hasAttrs = true;
          break;
        }
        if (!hasAttrs && name !== 'script' && !FIELD_TAGS.has(name)) return;
        doc.elements.push(el);
        let list = doc.byName.get(name);
        if (list === undefined) doc.byName.set(name, (list = []));
        list.push(el);
      },
      ontext(text) {
        if (script !== undefined) script.push(text);
      },
      onclosetag(name) {
        if (name === 'form') form = -1;
        else if (name === 'script' && script !== undefined) {
          doc.scripts.push(script.join(''));
          script = undefined;
        }
      },
      oncomment(text) {
        if (doc.comments.length < MAX_ELEMENTS) doc.comments.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return doc;
}
