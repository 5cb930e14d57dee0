import test from 'node:test';
import assert from 'node:assert/strict';
import { parseManifests } from '../../server/src/model/parse';
import { ignoreEdit, suppressionComments } from '../../server/src/model/suppressionComments';
import { deployment, lensOf, textAt } from '../helpers';

const service = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: app
spec:
  selector: { app: web }
  ports:
    - port: 80
      targetPort: 8080
`;
const policy = (port: string, annotations = '') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow
  namespace: app${annotations}
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - ports:
        - port: ${port}
`;
const files = (policyText: string) => ({
  'web.yaml': deployment('web', '{ app: web }', '[{ containerPort: 8080 }]') + '---\n' + service,
  'policy.yaml': policyText,
});

function check(policyText: string) {
  const lens = lensOf(files(policyText));
  return { findings: lens.suppressAll(lens.allFindings()), text: policyText };
}

test('the classic mistake is found without a suppression', () => {
  const { findings } = check(policy('80'));
  assert.deepEqual(
    findings.map((f) => [f.code, f.suppressed ?? false]),
    [['netpol-port-unmatched', false]],
  );
});

test('a comment at the end of the line, or alone on the line above, silences that code on that line', () => {
  for (const text of [
    policy('80 # port-lens: ignore netpol-port-unmatched'),
    policy('80').replace(
      '        - port: 80',
      '        # port-lens: ignore  netpol-egress-port-unmatched,netpol-port-unmatched\n        - port: 80',
    ),
  ]) {
    const { findings } = check(text);
    assert.deepEqual(
      findings.map((f) => [f.code, f.suppressed ?? false, f.severity]),
      [['netpol-port-unmatched', true, 'warning'], ...(text.includes('egress') ? [['suppression-unused', false, 'information']] : [])],
    );
  }
});

test('a comment for another code, or an unknown code, silences nothing and is reported unused', () => {
  const text = policy('80 # port-lens: ignore netpol-protocol-mismatch, no-such-rule');
  const { findings } = check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, f.suppressed ?? false, textAt(text, f)]),
    [
      ['netpol-port-unmatched', false, '80'],
      ['suppression-unused', false, 'netpol-protocol-mismatch'],
      ['suppression-unused', false, 'no-such-rule'],
    ],
  );
  assert.match(findings[2].message, /no-such-rule/);
});

test('the annotation silences its codes for the whole object, read alike with and without blanking unread values', () => {
  const text = policy('80', '\n  annotations:\n    checksum/config: "abc"\n    port-lens.io/ignore: netpol-port-unmatched\n    other: x');
  const { findings } = check(text);
  assert.deepEqual(
    findings.map((f) => [f.code, f.suppressed ?? false]),
    [['netpol-port-unmatched', true]],
  );
  assert.deepEqual(
    parseManifests('file:///p.yaml', text),
    parseManifests('file:///p.yaml', text, { keepUnread: true, everyDocument: true }),
  );
});

test('suppressionComments: a # inside a value is not a comment; CRLF lines', () => {
  assert.deepEqual(suppressionComments('a: "x#port-lens: ignore y"\n'), []);
  const [comment] = suppressionComments('a: 1\r\n  # port-lens: ignore x\r\nport: 80\r\n');
  assert.deepEqual(
    [comment.codes.map((c) => c.code), comment.range.start, comment.target.start.line],
    [['x'], { line: 1, character: 2 }, 2],
  );
});

test("ignoreEdit writes a comment, or adds the code to the line's comment", () => {
  assert.deepEqual(ignoreEdit('      port: 10022', 4, 'netpol-port-unmatched'), {
    range: { start: { line: 4, character: 17 }, end: { line: 4, character: 17 } },
    newText: ' # port-lens: ignore netpol-port-unmatched',
  });
  assert.equal(ignoreEdit('  port: 1 # port-lens: ignore a', 0, 'b').newText, ', b');
  assert.equal(ignoreEdit('  port: 1 # ssh', 0, 'b').newText, ' # port-lens: ignore b');
});
