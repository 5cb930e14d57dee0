import test from 'node:test';
import assert from 'node:assert/strict';
import { APPLY_EXPLAIN_FIX_COMMAND, OPEN_LOCATION_COMMAND, withCommandLinks } from '../../client/src/explainLinks';

const args = (link: string) => JSON.parse(decodeURIComponent(link.slice(link.indexOf('?') + 1)));
const linksOf = (markdown: string) => [...markdown.matchAll(/\[((?:\\.|[^\]])*)\]\(([^()\s]+)\)/g)].map((m) => [m[1], m[2]]);

test('every file link of the answer opens its file at its line through a command', () => {
  const text = withCommandLinks('- [NetworkPolicy gitlab/allow-from-all](file:///w/gitlab/np.yaml#L47) isolates it');
  const [[label, target]] = linksOf(text);
  assert.equal(label, 'NetworkPolicy gitlab/allow-from-all');
  assert.ok(target.startsWith(`command:${OPEN_LOCATION_COMMAND}?`), target);
  assert.deepEqual(args(target), ['file:///w/gitlab/np.yaml', 46]);
  assert.match(text, / isolates it$/);
});

test("each fix line: its title applies the fix, the places it edits stay as 'open' links", () => {
  const fixes = [
    { title: 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)', edits: [] },
    { title: 'Change port 10022 to the named port "ssh"', edits: [] },
  ];
  const markdown = [
    '**Fixes**',
    '',
    `- ${fixes[0].title}: ["22"](file:///w/np.yaml#L56)`,
    `- ${fixes[1].title}: ["ssh"](file:///w/np.yaml#L56)`,
  ].join('\n');
  const lines = withCommandLinks(markdown, fixes).split('\n');
  for (const [i, line] of lines.slice(2).entries()) {
    const [[title, apply], [place, open]] = linksOf(line);
    assert.equal(title, fixes[i].title);
    assert.ok(apply.startsWith(`command:${APPLY_EXPLAIN_FIX_COMMAND}?`));
    assert.deepEqual(args(apply), [i]);
    assert.equal(place, i === 0 ? '"22"' : '"ssh"');
    assert.deepEqual(args(open), ['file:///w/np.yaml', 55]);
    assert.match(line, / · open: /);
  }
  // without the fixes (an older server), the lines only get their open links
  assert.equal(linksOf(withCommandLinks(markdown)).length, 2);
});
