import test from 'node:test';
import assert from 'node:assert/strict';
import { parseCalicoSelector } from '../../server/src/model/calicoSelector';

/** The alternatives as `key op values` strings, for compact assertions. */
function alternatives(text: string): string[][] | undefined {
  const parsed = parseCalicoSelector(text);
  assert.ok(parsed.ok, `"${text}" should parse`);
  return parsed.alternatives?.map((reqs) => reqs.map((r) => `${r.key} ${r.operator}${r.values.length ? ` ${r.values.join('|')}` : ''}`));
}

test('equality, inequality, sets and has() become label requirements', () => {
  assert.deepEqual(alternatives("role == 'database'"), [['role In database']]);
  assert.deepEqual(alternatives('role != "frontend"'), [['role NotIn frontend']]);
  assert.deepEqual(alternatives("tier in {'web', 'api'}"), [['tier In web|api']]);
  assert.deepEqual(alternatives("tier not in {'web'}"), [['tier NotIn web']]);
  assert.deepEqual(alternatives('has(projectcalico.org/name)'), [['projectcalico.org/name Exists']]);
  assert.deepEqual(alternatives('!has(app.kubernetes.io/name)'), [['app.kubernetes.io/name DoesNotExist']]);
});

test('all(), the empty selector and global() are constants', () => {
  assert.deepEqual(alternatives('all()'), [[]]);
  assert.deepEqual(alternatives(''), [[]]);
  assert.deepEqual(alternatives('   '), [[]]);
  // global() picks host endpoints and network sets, never a pod
  assert.deepEqual(alternatives('global()'), []);
  assert.deepEqual(alternatives("global() || app == 'x'"), [['app In x']]);
  assert.deepEqual(alternatives('!all()'), []);
});

test('&& binds tighter than ||, parentheses group, and negation follows De Morgan', () => {
  assert.deepEqual(alternatives("a == 'x' && b == 'y' || c == 'z'"), [['a In x', 'b In y'], ['c In z']]);
  assert.deepEqual(alternatives("a == 'x' && (b == 'y' || c == 'z')"), [
    ['a In x', 'b In y'],
    ['a In x', 'c In z'],
  ]);
  assert.deepEqual(alternatives("!(a == 'x' || has(b))"), [['a NotIn x', 'b DoesNotExist']]);
  assert.deepEqual(alternatives("!(a == 'x' && b in {'1', '2'})"), [['a NotIn x'], ['b NotIn 1|2']]);
  assert.deepEqual(alternatives("!!(a == 'x')"), [['a In x']]);
});

test('contains, starts with and ends with parse but are not judged', () => {
  for (const text of ["app contains 'web'", "app starts with 'web'", "a == 'b' && app ends with '-db'"]) {
    const parsed = parseCalicoSelector(text);
    assert.ok(parsed.ok && parsed.alternatives === undefined, text);
  }
});

test('a selector that does not parse says why, at the character that breaks it', () => {
  const cases: Array<[string, number, RegExp]> = [
    ["app = 'web'", 4, /unexpected character "="/],
    ['app == web', 7, /expected a quoted value after "==", found "web"/],
    ["app == 'web", 7, /unclosed ' quote/],
    ["(app == 'web'", 13, /expected "\)" to close "\("/],
    ["app == 'web' &&", 15, /expected a label/],
    ['has(app', 7, /to close has\(/],
    ['app', 0, /"app" needs a comparison/],
    ["app == 'a' role == 'b'", 11, /expected "&&", "\|\|" or the end/],
    ["tier in {'a' 'b'}", 13, /expected "," or "}"/],
    ["tier not {'a'}", 9, /expected "in" after "not"/],
  ];
  for (const [text, at, message] of cases) {
    const parsed = parseCalicoSelector(text);
    assert.ok(!parsed.ok, text);
    assert.equal(parsed.at, at, text);
    assert.match(parsed.message, message, text);
  }
});

test('pathological selectors end in a result, never a crash', () => {
  const deep = '('.repeat(20000) + "a == 'b'" + ')'.repeat(20000);
  assert.ok(parseCalicoSelector(deep) !== undefined);
  const wide = Array.from({ length: 12 }, (_, i) => `(a${i} == 'x' || b${i} == 'y')`).join(' && ');
  const parsed = parseCalicoSelector(wide);
  assert.ok(parsed.ok && parsed.alternatives === undefined, 'too many alternatives: not judged');
});
