/** The condition language: grammar, precedence, operators and their semantics on missing values and lists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionSyntaxError, parseCondition, positionIn, type Expr } from '../../src/audit/condition.ts';
import { createEngine } from '../../src/audit/engine.ts';
import { loadRules, substituteList } from '../../src/audit/loader.ts';
import { event } from './helpers.ts';

/** Compact rendering of a tree: and(...), or(...), !x, field op value. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `${e.kind}(${e.items.map(show).join(', ')})`;
    case 'not':
      return `!${show(e.item)}`;
    case 'macro':
      return `@${e.name}`;
    case 'check': {
      const left = e.left.kind === 'field' ? `${e.left.name}${e.left.arg === undefined ? '' : `[${e.left.arg}]`}` : `${e.left.name}(..)`;
      const v = e.value === undefined ? '' : e.value.kind === 'list' ? ` (${e.value.values.join('|')})` : e.value.kind === 'string' ? ` ${JSON.stringify(e.value.value)}` : ' <operand>';
      return `${left} ${e.op}${v}`;
    }
  }
}

test('grammar table: precedence, blanks, quoting, arguments', () => {
  const table: [string, string][] = [
    ['a or b and c', 'or(@a, and(@b, @c))'],
    ['not a and b', 'and(!@a, @b)'],
    ['not not a', '!!@a'],
    ['not(a or b)', '!or(@a, @b)'],
    ['(a)and(b)', 'and(@a, @b)'],
    ['ka.verb=create', 'ka.verb = "create"'],
    ['ka.verb == "create"', 'ka.verb == "create"'],
    ['ka.target.name!="system:coredns"', 'ka.target.name != "system:coredns"'],
    ['ka.response.code startswith 2', 'ka.response.code startswith "2"'],
    ["ka.uri contains 'a\\'b'", 'ka.uri contains "a\'b"'],
    ['ka.uri contains "tab\\there\\x41"', 'ka.uri contains "tab\\there\\u0041"'.replace('\\u0041', 'A')],
    ['ka.verb in (create,update, "pa tch")', 'ka.verb in (create|update|pa tch)'],
    ['ka.verb in ( )', 'ka.verb in ()'],
    ['ka.verb in(get)', 'ka.verb in (get)'],
    ['jevt.value[/annotations/a~1b] exists', 'jevt.value[/annotations/a~1b] exists'],
    ['ka.req.pod.containers.image[0] intersects (nginx)', 'ka.req.pod.containers.image[0] intersects (nginx)'],
    ['ka.uri.param["command"] = ls', 'ka.uri.param[command] = "ls"'],
    ['evt.num >= 0x10', 'evt.num >= "0x10"'],
    ['evt.num<3', 'evt.num < "3"'],
    ['ka.uri glob "/api/*"', 'ka.uri glob "/api/*"'],
    ['ka.uri pmatch (/api, /apis)', 'ka.uri pmatch (/api|/apis)'],
    ['tolower(ka.user.name) = admin', 'tolower(..) = "admin"'],
    ['ka.user.name = val(ka.impuser.name)', 'ka.user.name = <operand>'],
    ['a\n  and\tb', 'and(@a, @b)'],
  ];
  for (const [cond, want] of table) assert.equal(show(parseCondition(cond)), want, cond);
});

test('syntax errors carry the offset; positions are 1-based line:column in the condition', () => {
  const cases: [string, number, RegExp][] = [
    ['ka.verb = create and', 20, /end of condition/],
    ['ka.verb create', 8, /valid operator/],
    ['(ka.verb=create', 15, /expecting '\)'/],
    ['ka.verb in (a, b', 16, /',' or '\)'/],
    ['ka.uri contains "open', 16, /unterminated/],
    ['ka.uri contains "bad\\q"', 20, /invalid escape/],
    ['ka.verb = create ka.uri = x', 17, /unexpected token after 'create'/],
    ['evt.num > abc', 10, /expected a number/],
    ['andx', 0, /never/],
  ];
  for (const [cond, offset, re] of cases) {
    if (cond === 'andx') {
      assert.equal(show(parseCondition(cond)), '@andx');
      continue;
    }
    assert.throws(
      () => parseCondition(cond),
      (err: unknown) => err instanceof ConditionSyntaxError && err.offset === offset && re.test(err.message),
      cond,
    );
  }
  assert.deepEqual(positionIn('a and\n  b c', 10), { line: 2, column: 5 });
});

test('list substitution is textual, bounded by delimiters, and removes a comma for empty lists', () => {
  assert.equal(substituteList('ka.verb in (verbs)', 'verbs', ['get', 'list']), 'ka.verb in ( get, list )');
  assert.equal(substituteList('x in (a, verbs)', 'verbs', []), 'x in (a  )');
  assert.equal(substituteList('x in (verbs, a)', 'verbs', []), 'x in (   a)');
  assert.equal(substituteList('x in (myverbs, verbs_x)', 'verbs', ['get']), 'x in (myverbs, verbs_x)');
  assert.equal(substituteList('x=verbs', 'verbs', ['a b']), 'x= "a b" ');
});

/** Evaluates one condition against one event through the whole loader and engine. */
function matches(condition: string, fields: Record<string, unknown>, extra = ''): boolean {
  const rules = `${extra}\n- rule: r\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: o\n  priority: INFO\n  source: k8s_audit\n`;
  const engine = createEngine(loadRules([{ name: 't.yaml', text: rules }]), { hostname: 'h' });
  return engine.process(event(fields)).length === 1;
}

test('a missing value fails every operator; only not turns it into true', () => {
  const none = {};
  for (const c of ['ka.user.name = x', 'ka.user.name != x', 'ka.user.name contains x', 'ka.user.name in (x)', 'ka.user.name intersects (x)', 'ka.user.name startswith x', 'ka.user.name exists', 'ka.user.name glob "*"', 'ka.user.name < 9', 'ka.user.name pmatch (/)']) {
    assert.equal(matches(c, none), false, c);
  }
  assert.equal(matches('not ka.user.name in (x)', none), true);
  assert.equal(matches('not ka.user.name = x', none), true);
  assert.equal(matches('not ka.user.name exists', none), true);
});

test('string operators on single values', () => {
  const ev = { user: { username: 'System:Admin' }, requestURI: '/var/run/docker.sock' };
  const table: [string, boolean][] = [
    ['ka.user.name = System:Admin', true],
    ['ka.user.name != System:Admin', false],
    ['ka.user.name contains Adm', true],
    ['ka.user.name icontains "system:ad"', true],
    ['ka.user.name startswith System', true],
    ['ka.user.name endswith Admin', true],
    ['ka.user.name glob "Sys*:?dmin"', true],
    ['ka.user.name glob "sys*"', false],
    ['ka.user.name iglob "sys*"', true],
    ['ka.user.name glob "[RS]ystem*"', true],
    ['ka.user.name regex "Sys.*"', true],
    ['ka.user.name regex "Sys"', false],
    ['ka.user.name regex "(?i)system:admin"', true],
    ['ka.user.name in (a, System:Admin)', true],
    ['ka.user.name intersects (System:Admin)', true],
    ['ka.user.name < 9', false],
    ['ka.user.name > 9', true],
    ['ka.user.name bcontains 3a41', true],
    ['ka.user.name bstartswith 53', true],
    ['ka.uri pmatch (/var/run)', true],
    ['ka.uri pmatch (/var/ru)', false],
    ['ka.uri pmatch (/var/run/docker.sock)', true],
    ['tolower(ka.user.name) = system:admin', true],
    ['toupper(ka.user.name) = SYSTEM:ADMIN', true],
    ['basename(ka.uri) = docker.sock', true],
    ['len(ka.user.name) = 12', true],
    ['len(ka.user.name) > 9', true],
  ];
  for (const [c, want] of table) assert.equal(matches(c, ev), want, c);
});

test('list fields: in needs every value, intersects any, exists at least one; an empty list is no value', () => {
  const pod = { requestObject: { spec: { containers: [{ image: 'nginx:1', name: 'a' }, { image: 'redis', name: 'b' }] } } };
  const table: [string, boolean][] = [
    ['ka.req.pod.containers.image.repository in (nginx, redis)', true],
    ['ka.req.pod.containers.image.repository in (nginx)', false],
    ['ka.req.pod.containers.image.repository intersects (nginx)', true],
    ['ka.req.pod.containers.image.repository intersects (busybox)', false],
    ['ka.req.pod.containers.image exists', true],
    ['ka.req.pod.containers.image[1] in (redis)', true],
    ['ka.req.pod.containers.image[5] exists', false],
    ['ka.req.pod.initContainers.image exists', false],
    ['not ka.req.pod.initContainers.image in (x)', true],
  ];
  for (const [c, want] of table) assert.equal(matches(c, pod), want, c);
  assert.equal(matches('ka.req.pod.containers.image in (x)', { requestObject: { spec: { containers: [] } } }), false);
});

test('numeric fields compare as numbers; string fields compare byte-wise', () => {
  assert.equal(matches('evt.num = 1', {}), true);
  assert.equal(matches('evt.num < 10', {}), true);
  assert.equal(matches('evt.rawtime > 1704164645000000000', {}), true);
  assert.equal(matches('ka.response.code < 3', { responseStatus: { code: 201 } }), true);
  assert.equal(matches('ka.response.code > 10000', { responseStatus: { code: 201 } }), true, 'strcmp: "201" > "10000"');
});

test('field-to-field comparison with val()', () => {
  assert.equal(matches('ka.user.name = val(ka.impuser.name)', { user: { username: 'a' }, impersonatedUser: { username: 'a' } }), true);
  assert.equal(matches('ka.user.name = val(ka.impuser.name)', { user: { username: 'a' }, impersonatedUser: { username: 'b' } }), false);
  assert.equal(matches('ka.user.name = val(ka.impuser.name)', { user: { username: 'a' } }), false);
});

test('macros are evaluated once per event and inlined with their visibility', () => {
  const extra = '- macro: m\n  condition: ka.verb=get\n- macro: n\n  condition: m or ka.verb=list\n';
  assert.equal(matches('n', { verb: 'get' }, extra), true);
  assert.equal(matches('n and not m', { verb: 'list' }, extra), true);
});
