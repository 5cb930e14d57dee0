// Pathological documents: each yields at most a diagnostic, quickly, and never an exception.
import test from 'node:test';
import assert from 'node:assert/strict';
import { PortLens } from '../../server/src/analysis/portLens';
import { findingsOf } from '../helpers';

/** Billion laughs: nine levels of ten aliases each, 10⁹ nodes when expanded. */
const laughs = (kind: string) =>
  [
    'apiVersion: v1',
    `kind: ${kind}`,
    'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
    'spec: {ports: *a8}',
    '',
  ].join('\n');
const billionLaughs = laughs('Service');

/** Lists of Lists through aliases: without a limit the reader would unpack 10⁹ Services. */
const listBomb = [
  'l0: &l0 {apiVersion: v1, kind: Service, metadata: {name: x}, spec: {selector: {a: b}, ports: [{port: 1}]}}',
  ...Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} {apiVersion: v1, kind: List, items: [${Array(10).fill(`*l${i}`).join(', ')}]}`),
  'apiVersion: v1',
  'kind: List',
  'items: [*l9]',
  '',
].join('\n');

for (const [name, text] of Object.entries({ 'billion laughs': billionLaughs, 'a bomb of nested Lists': listBomb })) {
  test(`an alias bomb (${name}) stays within the yaml library's alias limit: one diagnostic, nothing read`, () => {
    const lens = new PortLens();
    lens.setFile('file:///ws/bomb.yaml', text + '---\n' + 'apiVersion: v1\nkind: Service\nmetadata: {name: after}\nspec: {selector: {a: b}, ports: [{port: 2}]}\n');
    const findings = lens.allFindings();
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'yaml-syntax');
    assert.match(findings[0].message, /Too many aliases/);
    // the next document of the file is still read
    assert.deepEqual(lens.index.allServices().map((s) => s.ref.name), ['after']);
  });
}

test('billion laughs in a kind the analysis does not read (a ConfigMap) is not even parsed: no diagnostic', () => {
  const lens = new PortLens();
  lens.setFile('file:///ws/bomb.yaml', laughs('ConfigMap'));
  assert.deepEqual(lens.allFindings(), []);
});

test('a few aliases, as manifests use them, are read as before', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: &l {app: a}}\nspec:\n  selector: *l\n  ports: [{port: 80}]\n';
  assert.deepEqual(findingsOf({ 's.yaml': text }), []);
});
