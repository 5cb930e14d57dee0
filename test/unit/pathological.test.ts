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
  ...Array.from(
    { length: 9 },
    (_, i) => `l${i + 1}: &l${i + 1} {apiVersion: v1, kind: List, items: [${Array(10).fill(`*l${i}`).join(', ')}]}`,
  ),
  'apiVersion: v1',
  'kind: List',
  'items: [*l9]',
  '',
].join('\n');

for (const [name, text] of Object.entries({ 'billion laughs': billionLaughs, 'a bomb of nested Lists': listBomb })) {
  test(`an alias bomb (${name}) stays within the yaml library's alias limit: one diagnostic, nothing read`, (t) => {
    const lens = new PortLens();
    const started = performance.now();
    lens.setFile(
      'file:///ws/bomb.yaml',
      text + '---\n' + 'apiVersion: v1\nkind: Service\nmetadata: {name: after}\nspec: {selector: {a: b}, ports: [{port: 2}]}\n',
    );
    const findings = lens.allFindings();
    t.diagnostic(`${name}: ${(performance.now() - started).toFixed(1)} ms`);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'yaml-syntax');
    assert.match(findings[0].message, /Too many aliases/);
    // the next document of the file is still read
    assert.deepEqual(
      lens.index.allServices().map((s) => s.ref.name),
      ['after'],
    );
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

const SERVICE_HEAD = 'apiVersion: v1\nkind: Service\nmetadata: {name: deep}\nspec:\n  selector: {app: a}\n  ports: ';
/** 10 000 levels of nesting, the most the yaml library's recursion never survives. */
const deep: Record<string, string> = {
  'flow sequences': SERVICE_HEAD + '['.repeat(10_000) + ']'.repeat(10_000) + '\n',
  'flow mappings': SERVICE_HEAD + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n',
  'block sequences': SERVICE_HEAD + '\n    ' + '- '.repeat(10_000) + '80\n',
  // indented block mappings grow with the square of their depth: 3 000 levels are already 4.5 MB
  'block mappings':
    'apiVersion: v1\nkind: Service\nspec:\n' + Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`).join('\n') + ' 1\n',
  'unclosed flow sequences': SERVICE_HEAD + '['.repeat(10_000) + '\n',
};

for (const [name, text] of Object.entries(deep)) {
  test(`deep nesting (${name}) gives at most one diagnostic and keeps the next document`, (t) => {
    const lens = new PortLens();
    const started = performance.now();
    lens.setFile(
      'file:///ws/deep.yaml',
      text + '---\napiVersion: v1\nkind: Service\nmetadata: {name: after}\nspec: {selector: {a: b}, ports: [{port: 2}]}\n',
    );
    const findings = lens.allFindings();
    t.diagnostic(`${name}: ${(performance.now() - started).toFixed(0)} ms, ${findings.map((f) => f.code).join(', ') || 'no finding'}`);
    assert.ok(findings.length <= 1, JSON.stringify(findings.map((f) => f.message)));
    assert.ok(lens.index.allServices().some((s) => s.ref.name === 'after'));
  });
}

test('anchors that reference themselves are read as the wrong type, not followed forever', () => {
  const text =
    'apiVersion: v1\nkind: Service\nmetadata: &m {name: *m}\nspec: &s\n  selector: *s\n  ports: &p [{port: *p, targetPort: *p}, *p]\n';
  const findings = findingsOf({ 's.yaml': text });
  assert.ok(findings.length > 0);
  assert.ok(
    findings.every((f) => f.code === 'manifest-invalid'),
    JSON.stringify(findings.map((f) => f.message)),
  );
});

test('a document with aliases and collection keys raises no process warning', async () => {
  const warnings: string[] = [];
  const listen = (w: Error) => warnings.push(w.message);
  process.on('warning', listen);
  try {
    findingsOf({ 'k.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: k}\nspec: &s\n  ? {port: []}\n  : *s\n' });
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
  } finally {
    process.off('warning', listen);
  }
  assert.deepEqual(warnings, []);
});
