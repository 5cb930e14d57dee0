// A Helm chart in a real VS Code (code-server): a template expression broken as you type gets its
// error on its own line (not on Chart.yaml), the chart's last good findings stay, counted as stale
// in the status bar; undone, the chart renders again.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, scratchDir, e2eSkip, CODE_SERVER_NEEDS, until } from './tools';
import { HELM } from '../helpers';
import { goToLine, laidOut, onFailure, openFile, portLensStatus, screenshotAround, settled, startCodeServer, type Page } from './workbench';

/** templates/networkpolicy.yaml line 27, `- port: {{ .Values.networkPolicy.sshPort }}`: the column of its `}}`. */
const LINE = 27;
const BEFORE_BRACES = 50;

test(
  'VS Code (code-server): a broken Helm template expression — the error on its line, the last good findings kept',
  { skip: e2eSkip(CODE_SERVER_NEEDS) },
  async (t) => {
    const scratch = scratchDir('helm');
    const workspace = path.join(scratch, 'gitlab-ssh');
    cpSync(path.join(ROOT, 'test/fixtures/charts/gitlab-ssh'), workspace, { recursive: true });
    // A user (machine) setting: the extension never takes it from the workspace.
    const editor = await startCodeServer(t, workspace, { 'portLens.helm.path': HELM }, { scratch, height: 1200 });
    const page: Page = editor.page;

    await onFailure(editor, async () => {
      // The chart's four findings, on the template lines that wrote 10022.
      await openFile(page, 'networkpolicy.yaml');
      const problems = page.locator('#status\\.problems');
      const status = portLensStatus(page);
      const label = async () => (await problems.getAttribute('aria-label')) ?? '';
      await until('the status bar to count 4 warnings', async () => (await label()) === 'Warnings: 4', 120_000);
      await until('the Port Lens item to count them', async () => (await status.innerText()).trim() === 'Port Lens: 4 findings', 30_000);

      // `| nosuchfn` typed into line 27's expression, unsaved: helm fails on it.
      await goToLine(page, LINE, BEFORE_BRACES);
      await page.keyboard.type('| nosuchfn ');
      await page.keyboard.press('Escape'); // a suggestion widget, if any
      // helm-render-failed is a warning: the four kept findings and it.
      await until('the render failure beside the 4 kept warnings', async () => (await label()) === 'Warnings: 5', 60_000);
      await until('the Port Lens item to say the chart is stale', async () => /1 chart stale/.test(await status.innerText()), 30_000);

      // On line 27, where the cursor is, the squiggle says what helm says.
      await goToLine(page, LINE, BEFORE_BRACES + 4);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:visible', { hasText: 'nosuchfn' });
      await hover.waitFor();
      await settled(hover);
      assert.match(await hover.innerText(), /function "nosuchfn" not defined/);
      const cursorLine = await laidOut(page.locator('.editor-group-container.active .view-overlays .current-line'));
      await screenshotAround(page, 'vscode-helm-error.png', [cursorLine, await laidOut(hover)], 40, 40);
      await page.keyboard.press('Escape');
      await hover.waitFor({ state: 'hidden' });

      // The Problems panel: the failure under templates/networkpolicy.yaml at line 27, nothing on Chart.yaml.
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'helm-render-failed' });
      await row.waitFor();
      const rowText = await row.innerText();
      assert.match(rowText, /nosuchfn/);
      assert.match(rowText, new RegExp(`\\[Ln ${LINE}, Col \\d+\\]`));
      assert.equal(await page.locator('.markers-panel .monaco-list-row', { hasText: 'Chart.yaml' }).count(), 0);
      assert.doesNotMatch(await page.locator('.markers-panel').innerText(), /port-lens-chart-/, 'a temporary path is shown');
      await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden' });

      // Undone: the chart renders again, the failure goes, the findings are current again.
      await goToLine(page, LINE, BEFORE_BRACES);
      for (let i = 0; i < 5 && (await page.locator('.tab.active.dirty').count()) > 0; i++) await page.keyboard.press('Control+Z');
      assert.equal(await page.locator('.tab.active.dirty').count(), 0, 'undo did not bring the template back to its saved text');
      await until('the render failure to go', async () => (await label()) === 'Warnings: 4', 60_000);
      await until('the Port Lens item to be current', async () => (await status.innerText()).trim() === 'Port Lens: 4 findings', 30_000);
    });
  },
);
