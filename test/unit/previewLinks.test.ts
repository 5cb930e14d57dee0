import test from 'node:test';
import assert from 'node:assert/strict';
import { URI } from 'vscode-uri';
import { linksForPreview } from '../../client/src/previewLinks';

const markdown = (target: string) => `- [NetworkPolicy gitlab/allow-from-all](${target}) isolates it for ingress\n`;

test('a file link becomes a path from the first workspace folder, line kept', () => {
  assert.equal(
    linksForPreview(markdown('file:///work/gitlab/networkpolicies.yaml#L47'), 'file:///work/gitlab'),
    markdown('/networkpolicies.yaml#L47'),
  );
  assert.equal(
    linksForPreview(markdown('file:///work/gitlab/charts/gitlab/templates/svc.yaml#L3'), 'file:///work/gitlab/'),
    markdown('/charts/gitlab/templates/svc.yaml#L3'),
  );
});

test('a file outside the first folder is reached with ..; every link of the text is rewritten', () => {
  const text = '[Service a/b (ClusterIP) 80/TCP](file:///srv/other/svc.yaml#L5) → [Deployment a/b](file:///srv/other/deploy.yaml#L2)';
  assert.equal(
    linksForPreview(text, 'file:///work/gitlab'),
    '[Service a/b (ClusterIP) 80/TCP](/../../srv/other/svc.yaml#L5) → [Deployment a/b](/../../srv/other/deploy.yaml#L2)',
  );
});

test('names with spaces and parentheses stay one link, decoded back to the same file', () => {
  const file = URI.file('/work/my manifests (prod)/net pol.yaml');
  const rewritten = linksForPreview(markdown(`${file.toString()}#L9`), URI.file('/work/my manifests (prod)').toString());
  const target = /\]\((\/[^)\s]*)\)/.exec(rewritten)![1];
  assert.equal(target, '/net%20pol.yaml#L9');
  // How VS Code's Markdown preview reads it: a path against the folder.
  assert.equal(URI.parse(`x:${target}`).path, '/net pol.yaml');
});

test('with no folder on disk to resolve against, the text stays without the link', () => {
  assert.equal(
    linksForPreview(markdown('file:///work/gitlab/networkpolicies.yaml#L47'), undefined),
    '- NetworkPolicy gitlab/allow-from-all isolates it for ingress\n',
  );
  assert.equal(
    linksForPreview(markdown('file:///work/gitlab/networkpolicies.yaml#L47'), 'vscode-vfs://github/o/r'),
    '- NetworkPolicy gitlab/allow-from-all isolates it for ingress\n',
  );
});

test('other links and text are left alone', () => {
  const text = '**✗ denied**\n\n- see [the docs](https://kubernetes.io/docs/) and `[x](file:y)`\n';
  assert.equal(linksForPreview(text, 'file:///work'), text);
});
