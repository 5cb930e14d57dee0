// examples/shop in a real VS Code (code-server): the Ingress backend that names the pod's port
// (8080) where the Service's (80) belongs is a squiggle, its hover shows the chain, the preferred
// quick fix writes 80, and then the hover shows the whole path from the Ingress to the container.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { goToLine, openFile, settled, type Page } from './workbench';

test(
  "VS Code (code-server): examples/shop — the Ingress backend's squiggle, hover chain and fix",
  { skip: e2eSkip(CODE_SERVER_NEEDS) },
  async (t) => {
    const missing = missingTool(CODE_SERVER_NEEDS);
    assert.equal(missing, undefined, missing);
    const log = (line: string) => t.diagnostic(line);
    const tools = ensureTools(log);

    const scratch = scratchDir('references');
    const home = path.join(scratch, 'home');
    const userData = path.join(scratch, 'user-data');
    const extensions = path.join(scratch, 'extensions');
    const config = path.join(scratch, 'code-server.yaml');
    const workspace = path.join(scratch, 'workspace');
    for (const dir of [home, path.join(userData, 'User'), extensions, workspace]) mkdirSync(dir, { recursive: true });
    execFileSync('cp', ['-r', path.join(ROOT, 'examples/shop'), path.join(workspace, 'shop')]);
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
        'chat.commandCenter.enabled': false,
        'editor.hover.delay': 300,
        'files.autoSave': 'off',
        'editor.minimap.enabled': false,
        'editor.stickyScroll.enabled': false,
      }),
    );

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
        viewport: { width: 1280, height: 1400 },
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
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget:visible');
      await menu.waitFor();
      const actions = menu.locator('.monaco-list-row.action');
      await actions.first().waitFor();
      assert.equal(await actions.first().getAttribute('aria-label'), 'Change port 8080 to 80 (Service shop/api forwards 80 → 8080)');
      assert.match((await actions.first().getAttribute('class')) ?? '', /\bfocused\b/);
      await settled(menu);
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+S');
      await until('80 on disk', () => readFileSync(file, 'utf8').split('\n')[18] === '                  number: 80', 30_000);
      await until('the status bar to count 3 warnings', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 3', 30_000);

      // Now the hover shows the whole chain, from the Ingress to the container port.
      const after = await showHover('Path');
      assert.match(
        after,
        /Ingress shop\/web shop\.example\.com\/api → Service shop\/api \(ClusterIP\) 80\/TCP → targetPort "http" → Deployment shop\/api, container api, 8080\/TCP "http"/,
      );
    } catch (error) {
      const shot = path.join(path.dirname(scratch), `port-lens-e2e-references-failure-${process.pid}.png`);
      await page?.screenshot({ path: shot }).catch(() => undefined);
      console.error(
        `code-server output:\n${serverOutput.split('\n').slice(-80).join('\n')}\n${tails(filesUnder(path.join(userData, 'logs'), /(exthost|remoteagent|Port Lens)[^/]*\.log$/))}\nscreenshot of the failure: ${shot}`,
      );
      throw error;
    }
  },
);
