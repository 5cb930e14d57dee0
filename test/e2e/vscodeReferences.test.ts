// examples/shop in a real VS Code (code-server): the Ingress backend that names the pod's port
// (8080) where the Service's (80) belongs is a squiggle, its hover shows the chain, the preferred
// quick fix writes 80, and then the hover shows the whole path from the Ingress to the container.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, scratchDir, e2eSkip, CODE_SERVER_NEEDS, until } from './tools';
import { applyPreferredFix, goToLine, onFailure, openFile, settled, startCodeServer, type Page } from './workbench';

test(
  "VS Code (code-server): examples/shop — the Ingress backend's squiggle, hover chain and fix",
  { skip: e2eSkip(CODE_SERVER_NEEDS) },
  async (t) => {
    const scratch = scratchDir('references');
    const workspace = path.join(scratch, 'workspace');
    mkdirSync(workspace);
    execFileSync('cp', ['-r', path.join(ROOT, 'examples/shop'), path.join(workspace, 'shop')]);
    const editor = await startCodeServer(t, workspace, {}, { scratch, height: 1400 });
    const page: Page = editor.page;

    await onFailure(editor, async () => {
      // The four planted slips of examples/shop, nothing else.
      const problems = page.locator('#status\\.problems');
      await openFile(page, 'routing.yaml');
      await until('the status bar to count 4 warnings', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 4', 90_000);
      const squiggle = page.locator('.monaco-editor .squiggly-warning');
      await squiggle.first().waitFor();
      assert.equal(await squiggle.count(), 2);
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Port 8080 is the pod port behind Service shop/api' });
      await row.waitFor();
      assert.match(await row.innerText(), /backend-port-unmatched[\s\S]*\[Ln 19, Col 27\]/);
      await page.keyboard.press('Control+J');
      await page.locator('.part.panel').waitFor({ state: 'hidden' });

      // The hover on 8080: the warning, then the Service's ports as chains to the container port.
      const showHover = async (text: string) => {
        await goToLine(page, 19, 28);
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const hover = page.locator('.monaco-hover:visible', { hasText: text });
        await hover.waitFor();
        await settled(hover);
        const shown = await hover.innerText();
        await page.keyboard.press('Escape');
        await hover.waitFor({ state: 'hidden' });
        return shown;
      };
      const before = await showHover('The Service’s ports');
      assert.match(before, /Port 8080 is the pod port behind Service shop\/api; write its Service port 80\./);
      assert.match(
        before,
        /Service shop\/api \(ClusterIP\) 80\/TCP → targetPort "http" → Deployment shop\/api, container api, 8080\/TCP "http"/,
      );

      // Ctrl+. on 8080: the preferred fix first, focused; Enter applies it; saved, 80 is on disk.
      const file = path.join(workspace, 'shop/routing.yaml');
      await goToLine(page, 19, 28);
      await applyPreferredFix(page, 'Change port 8080 to 80 (Service shop/api forwards 80 → 8080)');
      await page.keyboard.press('Control+S');
      await until('80 on disk', () => readFileSync(file, 'utf8').split('\n')[18] === '                  number: 80', 30_000);
      await until('the status bar to count 3 warnings', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 3', 30_000);

      // Now the hover shows the whole chain, from the Ingress to the container port.
      const after = await showHover('Path');
      assert.match(
        after,
        /Ingress shop\/web shop\.example\.com\/api → Service shop\/api \(ClusterIP\) 80\/TCP → targetPort "http" → Deployment shop\/api, container api, 8080\/TCP "http"/,
      );
    });
  },
);
