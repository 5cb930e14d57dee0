// Every rule's message leads with one sentence naming the wrong value and the right one (SPEC §7,
// docs/rules.md "Writing a message"), on the corpus's real charts and the examples.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PortLens } from '../../server/src/analysis/portLens';
import type { Finding } from '../../server/src/analysis/rules/findings';
import { RULE_CODES, type RuleCode } from '../../server/src/analysis/rules/registry';
import { textAt } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
const MAX_LEAD = 140;

/** The message up to its first full stop followed by a space (or the end). */
export const leadOf = (message: string) => {
  const end = message.search(/[.?!](\s|$)/);
  return end < 0 ? message : message.slice(0, end + 1);
};

/** Small files for the rules the corpus and the examples do not reach. */
const EXTRA: Record<string, string> = {
  'invalid.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: "5432"
        - port: 70000
        - port: 80
          protocol: HTTP
    - ports: []
`,
  'null-and-ignored.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: q, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  ingress:
    - ports:
        - port: 80
  egress:
    - ports:
        - port:
          protocol: TCP
`,
  'wrong-type.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: "x"\n',
  'broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s\n',
  'twice.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: u}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: u}\n',
  'suppressed.yaml':
    'apiVersion: v1\nkind: Service\nmetadata: {name: t}\nspec:\n  ports:\n    - port: 80 # port-lens: ignore netpol-port-unmatched\n',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'charts' || name === 'templates' ? [] : filesUnder(file);
    return /\.ya?ml$/.test(name) && !/kustomization|Chart|values/.test(name) ? [file] : [];
  });
}

function everyFinding(): Array<{ finding: Finding; text: string; where: string }> {
  const result: Array<{ finding: Finding; text: string; where: string }> = [];
  const check = (where: string, files: Record<string, string>) => {
    const lens = new PortLens();
    for (const [name, text] of Object.entries(files)) lens.setFile(`file:///ws/${name}`, text);
    for (const finding of lens.suppressAll(lens.allFindings()))
      result.push({ finding, text: files[finding.uri.slice('file:///ws/'.length)], where });
  };
  const real = path.join(ROOT, 'test/corpus/real');
  assert.ok(existsSync(real), 'the corpus is missing');
  for (const file of readdirSync(real).filter((f) => f.endsWith('.yaml')))
    check(file, { [file]: readFileSync(path.join(real, file), 'utf8') });
  for (const example of readdirSync(path.join(ROOT, 'examples'))) {
    const dir = path.join(ROOT, 'examples', example);
    check(example, Object.fromEntries(filesUnder(dir).map((f) => [path.relative(dir, f), readFileSync(f, 'utf8')])));
  }
  for (const [name, text] of Object.entries(EXTRA)) check(name, { [name]: text });
  return result;
}

/** Rules whose finding is on a value that is wrong: the lead names it, and the preferred fix's value where there is one. */
const VALUE_RULES = new Set<RuleCode>([
  'netpol-port-unmatched',
  'netpol-egress-port-unmatched',
  'netpol-protocol-mismatch',
  'service-target-port-unmatched',
  'port-value-invalid',
]);

test('every message leads with one sentence of at most 140 characters naming the wrong value and the right one', () => {
  const findings = everyFinding();
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { finding, text, where } of findings) {
    seen.add(finding.code);
    const lead = leadOf(finding.message);
    if (lead.length > MAX_LEAD) problems.push(`${where} ${finding.code}: lead of ${lead.length} characters: ${lead}`);
    if (!VALUE_RULES.has(finding.code)) continue;
    const wrong = textAt(text, finding).replace(/^["']|["']$/g, '');
    if (!lead.includes(wrong)) problems.push(`${where} ${finding.code}: lead does not name "${wrong}": ${lead}`);
    const preferred = finding.fixes.find((f) => f.isPreferred);
    const right = preferred?.edits.length === 1 ? preferred.edits[0].newText.trim().replace(/^protocol: /, '') : undefined;
    if (right && !lead.includes(right)) problems.push(`${where} ${finding.code}: lead does not name the fix's "${right}": ${lead}`);
  }
  assert.deepEqual(problems, []);
  const unreached = RULE_CODES.filter((code) => !seen.has(code) && !['helm-render-failed', 'kustomize-build-failed'].includes(code));
  assert.deepEqual(unreached, [], 'every rule is seen at least once');
});
