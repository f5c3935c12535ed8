/**
 * The DAST HTML scanner against htmlparser2 (a general tokenizer) on tricky markup: both must see
 * the same elements with the same attributes, the same comments and the same inline scripts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser } from 'htmlparser2';
import { MAX_ELEMENTS, parseHtml } from '../../src/dast/html.ts';

interface View {
  elements: string[];
  comments: string[];
  scripts: string[];
}

/** What htmlparser2 reports, in the scanner's terms (elements with attributes, scripts, fields). */
function reference(html: string): View {
  const view: View = { elements: [], comments: [], scripts: [] };
  let script: string[] | undefined;
  const p = new Parser(
    {
      onopentag(name, attrs) {
        if (Object.keys(attrs).length > 0 || ['script', 'input', 'select', 'textarea', 'button'].includes(name)) view.elements.push(`${name} ${JSON.stringify(attrs)}`);
        if (name === 'script' && attrs['src'] === undefined) script = [];
      },
      ontext(t) {
        script?.push(t);
      },
      onclosetag(name) {
        if (name === 'script' && script !== undefined) {
          view.scripts.push(script.join(''));
          script = undefined;
        }
      },
      oncomment(t) {
        view.comments.push(t);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  p.write(html);
  p.end();
  return view;
}

function scanned(html: string): View {
  const doc = parseHtml(html);
  return { elements: doc.elements.map((e) => `${e.name} ${JSON.stringify(e.attrs)}`), comments: doc.comments, scripts: doc.scripts };
}

const CASES: Array<[string, string]> = [
  ['plain page', '<!DOCTYPE html><html><head><title>T <b>x</b></title></head><body><p class="a">x</p><a href="/a">a</a></body></html>'],
  ['attribute forms', `<a href=/u title='single "q"' data-x="double 'q'" hidden download=file.txt>x</a>`],
  ['upper case and spacing', '<A HREF = "/X"  TARGET=_blank\n\tREL="noopener">x</A>'],
  ['duplicate attributes: first wins', '<input name="a" name="b" value=1 VALUE=2>'],
  ['> inside quoted values', '<img alt="a > b" src="/i.png"><a title=\'x>y\' href="/z">z</a>'],
  ['entities in values', '<a href="/s?a=1&amp;b=2&lt;&#x41;&#66;&copy;&notin;&notanentity;">s</a><a href="?x=1&y=2">t</a>'],
  ['self-closing and slashes', '<br/><img src="/a.png"/><input / name="q" /><meta charset=utf-8/>'],
  ['comments', '<!-- one --><!----><!--><!---><p>x</p><!-- TODO: <a href="/hidden">no</a> -->'],
  ['script text with tags inside', '<script>var s = "<a href=\'/not-a-link\'>"; if (a < b) {}</script><a href="/after">a</a>'],
  ['script end tag case and spacing', '<SCRIPT type="text/javascript">x = 1</Script ><script src="/a.js"></script><script>y</script\t>'],
  ['style, textarea, title raw text', '<style>a[href="/x"] { }</style><textarea name="t"><a href="/no"></textarea><title><img src="/no.png"></title><a href="/yes">y</a>'],
  ['forms and fields', '<form action="/f" method="post"><input type="hidden" name="csrf_token" value="t"><select name="s"><option>1</option></select><button name="go">go</button></form><input name="outside">'],
  ['lone < and odd markup', 'a < b and c <= d <3 <a href="/ok">ok</a> <1> <>'],
  ['processing instruction and declarations', '<?xml version="1.0"?><!DOCTYPE html><a href="/p">p</a>'],
  ['bogus comments', '<?php echo 1 ?><!foo bar></ x><![CDATA[ y ]]></><!-- a --!> b --><a href="/q">q</a>'],
  ['unquoted value ends at space or >', '<a href=/a?b=c>x</a><a href=/d title=e>y</a>'],
  ['valueless then valued', '<input disabled name=q checked value="">'],
  ['event handler attributes', '<div onclick="track(\'x\')" onmouseover=go()>d</div>'],
  ['base and meta refresh', '<base href="/root/"><meta http-equiv="refresh" content="5; url=/next">'],
  ['newlines inside tags', '<a\nhref="/n"\n>n</a><img\n  srcset="/a.png 1x,\n /b.png 2x"\n>'],
];

for (const [name, html] of CASES) {
  test(`html scanner matches htmlparser2: ${name}`, () => {
    assert.deepEqual(scanned(html), reference(html));
  });
}

test('a tag cut by the end of the input is dropped; an unterminated comment runs to the end', () => {
  assert.deepEqual(scanned('<a href="/ok">x</a><a href="/cut'), { elements: ['a {"href":"/ok"}'], comments: [], scripts: [] });
  assert.deepEqual(scanned('<p id=x>x</p><!-- open to the end'), { elements: ['p {"id":"x"}'], comments: [' open to the end'], scripts: [] });
  assert.deepEqual(scanned('<script>never closed <a href="/no">'), { elements: ['script {}'], comments: [], scripts: ['never closed <a href="/no">'] });
});

test('forms collect their fields; base href is the first one', () => {
  const doc = parseHtml('<base href="/one/"><base href="/two/"><form id=a><input name=x></form><input name=y><form id=b><textarea name=z></textarea></form>');
  assert.equal(doc.baseHref, '/one/');
  assert.deepEqual(doc.forms.map((f) => [f.attrs['id'], f.fields.map((x) => x.attrs['name'])]), [['a', ['x']], ['b', ['z']]]);
  assert.equal(doc.byName.get('input')!.length, 2);
});

test('hostile page: elements are capped at MAX_ELEMENTS', () => {
  const doc = parseHtml('<p id=x>'.repeat(MAX_ELEMENTS + 10) + '<script>s</script><!-- c --><a href="/cut');
  assert.equal(doc.elements.length, MAX_ELEMENTS);
  assert.deepEqual([doc.scripts, doc.comments], [[], [' c ']]);
});

test('html scanner matches htmlparser2 on 2,000 random mixes of markup fragments', () => {
  const FRAGMENTS = [
    '<a href="/a?x=1&amp;y=2">', '</a>', '<img src=/i.png alt=\'a>b\'>', '<form action="/f">', '</form>', '<input name=q value="v">',
    '<!-- c -->', '<!---->', '<script>if (a<b) x("</p>")</script>', '<script src="/s.js"></script>', '<style>p{}</style>',
    'text ', ' < ', '&amp;', '<p class=x id="y">', '</p>', '<br/>', '<?pi?>', '<!DOCTYPE html>', '<textarea name=t>a<b></textarea>',
    '<div data-a="1" DATA-A="2">', '</div>', '<meta http-equiv="refresh" content="0;url=/r">', '<title>t</title>', '\n', '<!x>',
  ];
  let seed = 42;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  for (let k = 0; k < 2000; k++) {
    const html = Array.from({ length: 1 + rand(12) }, () => FRAGMENTS[rand(FRAGMENTS.length)]!).join('');
    assert.deepEqual(scanned(html), reference(html), html);
  }
});
