// Kustomize in a real VS Code (code-server) with the packaged extension: the warning on the prod
// overlay's patch line, the hover with the root and the chain, the fix; an unsaved edit of the base.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, scratchDir, e2eSkip, CODE_SERVER_NEEDS, until } from './tools';
import { applyPreferredFix, focusEditor, goToLine, laidOut, onFailure, settled, startCodeServer, type Page } from './workbench';
import { KUBECTL } from '../helpers';

async function openPath(page: Page, relative: string): Promise<void> {
  const name = path.basename(relative);
  await until(`Quick Open to open ${relative}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 5000 });
    await input.fill(relative);
    await page
      .locator('.quick-input-list .monaco-list-row .label-description', { hasText: path.dirname(relative) })
      .first()
      .click({ timeout: 5000 });
    await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 5000 });
    return true;
  });
  await focusEditor(page);
}

test(
  'VS Code (code-server): Kustomize overlay patch squiggle, hover with the chain, the fix; an unsaved base edit rebuilds',
  { skip: e2eSkip(CODE_SERVER_NEEDS) },
  async (t) => {
    const scratch = scratchDir('vscode-kustomize');
    const workspace = path.join(scratch, 'gitlab-kustomize');
    cpSync(path.join(ROOT, 'examples/gitlab-kustomize'), workspace, { recursive: true });
    const patchFile = path.join(workspace, 'overlays/prod/allow-ssh.yaml');
    // A user (machine) setting: the extension never takes it from the workspace.
    const editor = await startCodeServer(t, workspace, { 'portLens.kustomize.path': KUBECTL }, { scratch, height: 1200 });
    const page: Page = editor.page;

    await onFailure(editor, async () => {
      // The squiggle on the prod patch's 10022 (staging, which patches 22, is silent).
      await openPath(page, 'overlays/prod/allow-ssh.yaml');
      const problems = page.locator('#status\\.problems');
      await until('the status bar to count 1 warning', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 1', 120_000);
      const squiggle = page.locator('.monaco-editor .squiggly-warning');
      await squiggle.first().waitFor();
      assert.equal(await squiggle.count(), 1);

      // The hover: which root, which file wrote the value, and the Service → Pod chain.
      await goToLine(page, 1, 1);
      const mark = await laidOut(squiggle.first());
      await page.mouse.move(mark.x + mark.width / 2, mark.y + mark.height / 2);
      const hover = page.locator('.monaco-hover:visible', { hasText: 'Kustomize root' });
      await hover.waitFor();
      await settled(hover);
      const hoverText = await hover.innerText();
      assert.match(hoverText, /overlays\/prod/);
      assert.match(hoverText, /written by patch overlays\/prod\/allow-ssh\.yaml/);
      assert.match(hoverText, /10022\/TCP → targetPort 22 → Deployment gitlab\/gitlab/);
      await page.mouse.move(5, 400);
      await hover.waitFor({ state: 'hidden' });

      // An unsaved edit of the base: the Service port is no longer 10022, so the patch's 10022 is no
      // longer a Service port written for a pod port: the warning turns into information.
      await openPath(page, 'base/gitlab.yaml');
      await goToLine(page, 39, 13);
      for (let i = 0; i < 5; i++) await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.type('10023');
      await until(
        'the overlay warning to go with the unsaved base edit',
        async () => (await problems.getAttribute('aria-label')) !== 'Warnings: 1',
        60_000,
      );
      assert.doesNotMatch(readFileSync(path.join(workspace, 'base/gitlab.yaml'), 'utf8'), /10023/);
      await page.keyboard.press('Control+Z');
      await until('the overlay warning to come back', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 1', 60_000);

      // The fix: Ctrl+. on 10022 in the patch offers 22 first; applied and saved, the patch has 22.
      await openPath(page, 'overlays/prod/allow-ssh.yaml');
      await goToLine(page, 13, 14);
      await applyPreferredFix(page, 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)');
      await page.keyboard.press('Control+S');
      await until('22 in the patch on disk', () => readFileSync(patchFile, 'utf8').split('\n')[12] === '      port: 22', 30_000);
      await until('the status bar to count no problems', async () => (await problems.getAttribute('aria-label')) === 'No Problems', 60_000);
    });
  },
);
