import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const grammarPath = 'syntaxes/helm-template.injection.tmLanguage.json';

interface Rule {
  [key: string]: unknown;
  include?: string;
  begin?: string;
  end?: string;
  match?: string;
}

function loadGrammar(): { scopeName: string; injectionSelector: string; repository: Record<string, Rule> } & Rule {
  return JSON.parse(fs.readFileSync(path.join(root, grammarPath), 'utf8'));
}

/** Every object in the grammar that is a rule (has include, begin, end or match). */
function rules(node: unknown, found: Rule[] = []): Rule[] {
  if (Array.isArray(node)) node.forEach((n) => rules(n, found));
  else if (node && typeof node === 'object') {
    const rule = node as Rule;
    if ('include' in rule || 'begin' in rule || 'match' in rule) found.push(rule);
    Object.values(rule).forEach((v) => rules(v, found));
  }
  return found;
}

// Oniguruma syntax that JavaScript's RegExp lacks or reads differently.
const ONIGURUMA_ONLY = [/\\[GAzZhHK]/, /\(\?>/, /[*+?}][+]/, /\(\?[imx]+[):-]/, /\\p\{/, /\[[^\]]*&&/];

test('the grammar is valid JSON naming its scope and injection selector', () => {
  const grammar = loadGrammar();
  assert.equal(grammar.scopeName, 'helm-template.injection.port-lens');
  assert.match(grammar.injectionSelector, /^L:source\.yaml\b/);
});

test('package.json contributes the grammar as an injection into source.yaml', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const entry = manifest.contributes.grammars.find((g: { path: string }) => path.normalize(g.path) === path.normalize(grammarPath));
  assert.ok(entry, 'grammar contribution');
  assert.equal(entry.scopeName, loadGrammar().scopeName);
  assert.deepEqual(entry.injectTo, ['source.yaml']);
});

test('every include resolves to a repository entry', () => {
  const grammar = loadGrammar();
  const includes = rules(grammar).flatMap((r) => (r.include === undefined ? [] : [r.include]));
  assert.ok(includes.length > 0);
  for (const include of includes) {
    assert.match(include, /^#/, `${include}: only the grammar's own repository is included`);
    assert.ok(include.slice(1) in grammar.repository, `${include} resolves`);
  }
});

test('every regex is plain JavaScript-compatible and compiles', () => {
  const patterns = rules(loadGrammar()).flatMap((r) => [r.begin, r.end, r.match].filter((p): p is string => p !== undefined));
  assert.ok(patterns.length > 10);
  for (const pattern of patterns) {
    for (const construct of ONIGURUMA_ONLY) assert.doesNotMatch(pattern, construct, `${pattern} uses Oniguruma-only syntax`);
    assert.doesNotThrow(() => new RegExp(pattern, 'u'), pattern);
  }
});

test('an action starts only where it also ends on the same line', () => {
  const action = loadGrammar().repository.action;
  const begin = new RegExp(action.begin!, 'u');
  const end = new RegExp(action.end!, 'u');
  assert.equal(begin.exec('port: {{ .Values.port }}')?.[0], '{{');
  assert.equal(begin.exec('{{- if .Values.enabled }}')?.[0], '{{-');
  assert.equal(begin.exec('{{-3}}')?.[0], '{{', 'a minus sign without a space is not a trim marker');
  assert.equal(begin.exec('delimiter: "{{"'), null, 'a lone {{ is left to YAML');
  assert.equal(end.exec(' .Values.x -}}')?.[0], '-}}');
  assert.equal(end.exec(' -3}}')?.[0], '}}');
});
