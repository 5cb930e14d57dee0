// Kustomize in a real VS Code (code-server) with the packaged extension: the warning on the prod
// overlay's patch line, the hover with the root and the chain, the fix; an unsaved edit of the base.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  CHROMIUM,
  ROOT,
  ensureTools,
  filesUnder,
  freePort,
  leadsGroup,
  isolatedEnv,
  missingTool,
  scratchDir,
  e2eSkip,
  CODE_SERVER_NEEDS,
  stop,
  tails,
  until,
} from './tools';
import { focusEditor, goToLine, laidOut, settled, type Page } from './workbench';
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
    const missing = missingTool(CODE_SERVER_NEEDS);
    assert.equal(missing, undefined, missing);
    const log = (line: string) => t.diagnostic(line);
    const tools = ensureTools(log);

    const scratch = scratchDir('vscode-kustomize');
    const home = path.join(scratch, 'home');
    const userData = path.join(scratch, 'user-data');
    const extensions = path.join(scratch, 'extensions');
    const config = path.join(scratch, 'code-server.yaml');
    for (const dir of [home, path.join(userData, 'User'), extensions]) mkdirSync(dir, { recursive: true });
    writeFileSync(config, 'auth: none\ncert: false\n');
    writeFileSync(
      path.join(userData, 'User/settings.json'),
      JSON.stringify({
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'chat.commandCenter.enabled': false,
        'editor.hover.delay': 300,
        'files.autoSave': 'off',
        'window.commandCenter': false,
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
        // A user (machine) setting: the extension never takes it from the workspace.
        'portLens.kustomize.path': KUBECTL,
      }),
    );
    const workspace = path.join(scratch, 'gitlab-kustomize');
    cpSync(path.join(ROOT, 'examples/gitlab-kustomize'), workspace, { recursive: true });
    const patchFile = path.join(workspace, 'overlays/prod/allow-ssh.yaml');

    const env = isolatedEnv(home, { TMPDIR: scratch });
    const codeServerArgs = [tools.codeServer, '--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
    let server: ChildProcess | undefined;
    let serverOutput = '';
    let browser: any;
    t.after(async () => {
      await browser?.close().catch(() => undefined);
      await stop(server);
      rmSync(scratch, { recursive: true, force: true });
    });

    execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'pipe' });
    const installed = execFileSync('node', [...codeServerArgs, '--install-extension', path.join(ROOT, 'k8s-port-lens.vsix')], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.match(installed, /successfully installed/i);

    let page: Page;
    try {
      const port = await freePort();
      server = leadsGroup(
        spawn(
          'node',
          [
            ...codeServerArgs,
            '--bind-addr',
            `127.0.0.1:${port}`,
            '--auth',
            'none',
            '--disable-telemetry',
            '--disable-update-check',
            '--disable-workspace-trust',
            '--disable-getting-started-override',
            '--ignore-last-opened',
            workspace,
          ],
          { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
        ),
      );
      server.stdout!.on('data', (chunk) => (serverOutput += chunk));
      server.stderr!.on('data', (chunk) => (serverOutput += chunk));
      const base = `http://127.0.0.1:${port}`;
      await until(
        'code-server to answer /healthz',
        async () => server!.exitCode === null && (await fetch(`${base}/healthz`).catch(() => undefined))?.ok,
        60_000,
      );

      const { chromium } = require(tools.playwrightCore);
      browser = await chromium.launchPersistentContext(path.join(scratch, 'chromium-profile'), {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 1200 },
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(60_000);
      await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor();

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
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget:visible');
      await menu.waitFor();
      const actions = menu.locator('.monaco-list-row.action');
      await actions.first().waitFor();
      assert.equal(
        await actions.first().getAttribute('aria-label'),
        'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)',
      );
      await settled(menu);
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+S');
      await until('22 in the patch on disk', () => readFileSync(patchFile, 'utf8').split('\n')[12] === '      port: 22', 30_000);
      await until('the status bar to count no problems', async () => (await problems.getAttribute('aria-label')) === 'No Problems', 60_000);
    } catch (error) {
      const shot = path.join(path.dirname(scratch), `port-lens-e2e-kustomize-failure-${process.pid}.png`);
      await page?.screenshot({ path: shot }).catch(() => undefined);
      console.error(
        `code-server output:\n${serverOutput.split('\n').slice(-80).join('\n')}\n${tails(filesUnder(path.join(userData, 'logs'), /(exthost|remoteagent|Port Lens)[^/]*\.log$/))}\nscreenshot: ${shot}`,
      );
      throw error;
    }
  },
);
