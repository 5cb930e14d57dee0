// The story's mistake written in Cilium's and Calico's policies, in a real VS Code (code-server):
// each a warning, each fixed to 22 by the preferred quick fix, in its own dialect's syntax.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, scratchDir, e2eSkip, CODE_SERVER_NEEDS, until } from './tools';
import { applyPreferredFix, goToLine, onFailure, openFile, startCodeServer, type Page } from './workbench';

/** One dialect's file: where its mistake is, and what the preferred fix writes there. */
const CASES = [
  {
    folder: 'gitlab-cilium',
    file: 'ciliumnetworkpolicies.yaml',
    line: 57,
    reported: 15,
    column: 17,
    fixed: '      - port: "22"',
    kind: 'CiliumNetworkPolicy',
  },
  {
    folder: 'gitlab-calico',
    file: 'calico-networkpolicies.yaml',
    line: 53,
    reported: 19,
    column: 21,
    fixed: '      ports: [80, 22]',
    kind: 'Calico NetworkPolicy',
  },
];

test(
  'VS Code (code-server): the Cilium and the Calico allow-from-all each warn on 10022 and are fixed to 22',
  { skip: e2eSkip(CODE_SERVER_NEEDS) },
  async (t) => {
    const scratch = scratchDir('dialects');
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    for (const c of CASES) execFileSync('cp', ['-r', path.join(ROOT, 'examples', c.folder), path.join(workspace, c.folder)]);
    const editor = await startCodeServer(t, workspace, {}, { scratch, height: 1400 });
    const page: Page = editor.page;

    await onFailure(editor, async () => {
      // One warning per dialect, no error.
      const problems = page.locator('#status\\.problems');
      // The two copies of GitLab share their objects' names: each is also an object-duplicate (information), not counted here.
      const counted = async (kind: 'Errors' | 'Warnings') =>
        Number(((await problems.getAttribute('aria-label')) ?? '').match(new RegExp(`${kind}: (\\d+)`))?.[1] ?? 0);
      const warnings = async (n: number) => (await counted('Errors')) === 0 && (await counted('Warnings')) === n;
      await openFile(page, CASES[0].file);
      await until('the status bar to count 2 warnings', () => warnings(2), 90_000);

      for (const [i, c] of CASES.entries()) {
        const file = path.join(workspace, c.folder, c.file);
        await openFile(page, c.file);
        const squiggle = page.locator('.monaco-editor .squiggly-warning');
        await squiggle.first().waitFor();
        await page.keyboard.press('Control+Shift+M');
        const row = page.locator('.markers-panel .monaco-list-row', { hasText: `${c.kind} ports are pod ports` });
        await row.waitFor();
        assert.match(await row.innerText(), new RegExp(`\\[Ln ${c.line}, Col ${c.reported}\\]`));
        await page.keyboard.press('Control+J');
        await page.locator('.part.panel').waitFor({ state: 'hidden' });

        // Ctrl+. on 10022: the preferred fix first, focused; Enter applies it, in the dialect's syntax.
        await goToLine(page, c.line, c.column);
        await applyPreferredFix(page, 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)');
        await page.keyboard.press('Control+S');
        await until(`22 on disk in ${c.file}`, () => readFileSync(file, 'utf8').split('\n')[c.line - 1] === c.fixed, 30_000);
        const left = CASES.length - 1 - i;
        await until(`the status bar to count ${left} warnings`, () => warnings(left), 30_000);
      }
    });
  },
);
