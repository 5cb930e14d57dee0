// The packaged extension in a real VS Code (code-server), driven through its UI in Chromium.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gitlabWorkspace, scratchDir, e2eSkip, CODE_SERVER_NEEDS, until } from './tools';
import { explainThroughTheUI, lensFollowsThePolicy } from './explainConnection';
import { portMapThroughTheUI, portsView } from './portMap';
import {
  IMAGES,
  applyPreferredFix,
  applyQuickFix,
  focusEditor,
  goToLine,
  laidOut,
  onFailure,
  openFile,
  openQuickFixes,
  portLensStatus,
  portLensStatusHistory,
  renderedLines,
  screenshotAround,
  screenshotOfProblems,
  screenshotOfStatusBar,
  settled,
  startCodeServer,
  type Page,
} from './workbench';

test(
  'VS Code (code-server) with the packaged extension: explain a connection; problem, hover, quick fix',
  { skip: e2eSkip(CODE_SERVER_NEEDS) },
  async (t) => {
    const log = (line: string) => t.diagnostic(line);
    log(`screenshots go to ${IMAGES}`);
    const scratch = scratchDir('vscode');
    const workspace = gitlabWorkspace(scratch);
    const policyFile = path.join(workspace, 'networkpolicies.yaml');
    const editor = await startCodeServer(t, workspace, {}, { scratch, height: 1700 });
    const page: Page = editor.page;

    await onFailure(editor, async () => {
      // The status bar: "indexing" until the first scan is done — never a count, nor an all-clear, before it.
      // gitlab.yaml is the file the explain steps below open first: the editors are as they expect.
      await openFile(page, 'gitlab.yaml');
      const status = portLensStatus(page);
      await until('the status bar to count the finding', async () => (await status.innerText()).trim() === 'Port Lens: 1 finding', 90_000);
      const shown = await portLensStatusHistory(page);
      log(`the Port Lens status bar item showed ${JSON.stringify(shown)}`);
      const firstCount = shown.findIndex((text) => !/^Port Lens: (starting|indexing|\d+\/\d+ files)$/.test(text));
      assert.ok(firstCount > 0, `nothing shown before the first count: ${JSON.stringify(shown)}`);
      assert.ok(
        shown.slice(0, firstCount).some((text) => /indexing|files$/.test(text)),
        `no indexing shown: ${JSON.stringify(shown)}`,
      );
      assert.equal(shown[firstCount], 'Port Lens: 1 finding', `the first count is not the scan's: ${JSON.stringify(shown)}`);
      // Its tooltip promises the Problems panel, and a click opens it.
      await screenshotOfStatusBar(page, 'vscode-status-bar.png', status, 320);
      await status.click();
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'Port 10022/TCP' }).waitFor();
      await screenshotOfProblems(page, 'vscode-problems.png');
      await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden' });

      // Explained before the fix below turns the answer from denied to allowed.
      await explainThroughTheUI(page);
      await portsView(page);
      await portMapThroughTheUI(page);

      await openFile(page, 'networkpolicies.yaml');
      await goToLine(page, 55, 14);

      // The problem: one warning in the status bar, the squiggle on 10022, the Problems row.
      const problems = page.locator('#status\\.problems');
      // Its label lists only the kinds present: "Warnings: 1" means no error and no information.
      await until('the status bar to count 1 warning', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 1', 90_000);
      const squiggle = page.locator('.monaco-editor .squiggly-warning');
      await squiggle.first().waitFor();
      assert.equal(await squiggle.count(), 1);
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Port 10022/TCP' });
      await row.waitFor();
      const rowText = await row.innerText();
      assert.match(rowText, /Service gitlab\/gitlab-ssh, which forwards it to 22/);
      assert.match(rowText, /netpol-port-unmatched/);
      assert.match(rowText, /\[Ln 55, Col 13\]/);
      await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden' });
      // The whole file fits the window: the cursor goes out of the way (no light bulb on line 55).
      await goToLine(page, 1, 1);
      const mark = await laidOut(squiggle.first());
      await screenshotAround(page, 'vscode-squiggle.png', [mark], 300, 120);

      // The hover over 10022: the Service → Pod chain.
      // The squiggle lies under the text layer, so the mouse goes to its place rather than to it.
      await page.mouse.move(mark.x + mark.width / 2, mark.y + mark.height / 2);
      // The diagnostic's part of the hover comes first; the server's part (the chain) follows.
      const hover = page.locator('.monaco-hover:visible', { hasText: 'targetPort 22' });
      await hover.waitFor();
      await settled(hover);
      const hoverText = await hover.innerText();
      assert.match(hoverText, /Service gitlab\/gitlab-ssh \(LoadBalancer\) 10022\/TCP → targetPort 22 → Deployment gitlab\/gitlab/);
      // The diagnostic once (VS Code's part), and the server's part adds what it does not say, in at most 15 lines.
      const lead = 'Port 10022/TCP is the Service port of gitlab/gitlab-ssh; the pods listen on 22.';
      assert.equal(hoverText.split(lead).length - 1, 1, `the diagnostic is not shown exactly once:\n${hoverText}`);
      const serverPart = hover.locator('.hover-row', { hasText: 'targetPort 22' }).last();
      assert.doesNotMatch(await serverPart.innerText(), /the pods listen on 22/);
      const lines = await renderedLines(serverPart);
      log(`the server's part of the hover: ${lines} lines`);
      assert.ok(lines <= 15, `the server's part of the hover is ${lines} lines:\n${await serverPart.innerText()}`);
      await screenshotAround(page, 'vscode-hover.png', [mark, await laidOut(hover)], 40, 40);
      await page.mouse.move(5, 400);
      await hover.waitFor({ state: 'hidden' });

      // Ctrl+. on 10022: the preferred fix first, then the named port, then the suppression.
      await goToLine(page, 55, 14);
      const offered = await openQuickFixes(page);
      assert.deepEqual(offered.titles, [
        'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)',
        'Change port 10022 to the named port "ssh"',
        'Ignore netpol-port-unmatched on this line',
      ]);
      await screenshotAround(page, 'vscode-quick-fix.png', [mark, await laidOut(offered.menu)], 200, 40);

      // "Ignore netpol-port-unmatched on this line" writes the comment, and the warning goes.
      await applyQuickFix(page, offered.menu, 'Ignore netpol-port-unmatched on this line');
      await page.keyboard.press('Control+S');
      const ignored = '      port: 10022 # port-lens: ignore netpol-port-unmatched';
      await until('the comment on disk', () => readFileSync(policyFile, 'utf8').split('\n')[54] === ignored, 30_000);
      await until('the status bar to count no problems', async () => (await problems.getAttribute('aria-label')) === 'No Problems', 30_000);
      await squiggle.first().waitFor({ state: 'detached' });
      // Undone and saved, the warning is back.
      await focusEditor(page);
      await page.keyboard.press('Control+Z');
      await page.keyboard.press('Control+S');
      await until('10022 alone on disk', () => readFileSync(policyFile, 'utf8').split('\n')[54] === '      port: 10022', 30_000);
      await until('the status bar to count 1 warning', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 1', 30_000);

      // The preferred fix has the focus, so Enter applies it; saved, 22 is on disk.
      await goToLine(page, 55, 14);
      await applyPreferredFix(page, 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)');
      await page.keyboard.press('Control+S');
      await until('22 on disk', () => readFileSync(policyFile, 'utf8').split('\n')[54] === '      port: 22', 30_000);
      assert.doesNotMatch(readFileSync(policyFile, 'utf8'), /port: 10022/);

      // The warning is gone.
      await until('the status bar to count no problems', async () => (await problems.getAttribute('aria-label')) === 'No Problems', 30_000);
      await squiggle.first().waitFor({ state: 'detached' });
      await lensFollowsThePolicy(page);
    });
  },
);
