import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { localRuleLink, ruleHeadings } from '../../client/src/ruleDocs';
import { RULE_CODES, ruleDocsUrl } from '../../server/src/analysis/rules/registry';

const docs = readFileSync(path.resolve(__dirname, '../../docs/rules.md'), 'utf8');

test('every rule link of a diagnostic opens the shipped docs/rules.md on the heading of its rule', () => {
  const headings = ruleHeadings(docs);
  const lines = docs.split('\n');
  for (const code of RULE_CODES) {
    const line = localRuleLink(URI.parse(ruleDocsUrl(code)), headings);
    assert.ok(line, `${code}: docs/rules.md has a "## ${code}" heading`);
    assert.equal(lines[Number(line.slice(1)) - 1], `## ${code}`);
  }
});

test('other links, and codes without a heading, are left as they are', () => {
  const headings = ruleHeadings('# Rules\n\n## netpol-port-unmatched\ntext\n## Writing a message\n');
  assert.deepEqual([...headings], [['netpol-port-unmatched', 3]]);
  assert.equal(localRuleLink(URI.parse('https://example.com/docs/rules.md#netpol-port-unmatched'), headings), 'L3');
  assert.equal(localRuleLink(URI.parse('https://example.com/README.md#netpol-port-unmatched'), headings), undefined);
  assert.equal(localRuleLink(URI.parse('https://example.com/docs/rules.md#yaml-syntax'), headings), undefined);
});
