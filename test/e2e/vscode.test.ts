// The packaged extension in a real VS Code (code-server), driven through its UI in Chromium.
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
  gitlabWorkspace,
  isolatedEnv,
  missingTool,
  scratchDir,
  e2eSkip,
  CODE_SERVER_NEEDS,
  stop,
  tails,
  until,
} from './tools';
import { explainThroughTheUI, lensFollowsThePolicy } from './explainConnection';
import { portMapThroughTheUI, portsView } from './portMap';
import { IMAGES, goToLine, laidOut, openFile, screenshotAround, settled, type Page } from './workbench';

test(
  'VS Code (code-server) with the packaged extension: explain a connection; problem, hover, quick fix',
  { skip: e2eSkip(CODE_SERVER_NEEDS) },
  async (t) => {
    const missing = missingTool(CODE_SERVER_NEEDS);
    assert.equal(missing, undefined, missing);
    const log = (line: string) => t.diagnostic(line);
    const tools = ensureTools(log);
    log(`screenshots go to ${IMAGES}`);

    const scratch = scratchDir('vscode');
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
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'chat.commandCenter.enabled': false,
        'editor.hover.delay': 300,
        'files.autoSave': 'off',
        'window.commandCenter': false,
        'editor.minimap.enabled': false,
        'editor.cursorBlinking': 'solid',
        'editor.stickyScroll.enabled': false,
      }),
    );
    const workspace = gitlabWorkspace(scratch);
    const policyFile = path.join(workspace, 'networkpolicies.yaml');

    // code-server and the browser write only into the scratch folder.
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
    const vsix = path.join(ROOT, 'k8s-port-lens.vsix');
    const installed = execFileSync('node', [...codeServerArgs, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
    assert.match(installed, /successfully installed/i);

    const failureReport = () =>
      [
        `code-server output:\n${serverOutput.split('\n').slice(-80).join('\n')}`,
        tails(filesUnder(path.join(userData, 'logs'), /(exthost|remoteagent|Port Lens)[^/]*\.log$/)),
      ].join('\n');

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
      const profile = path.join(scratch, 'chromium-profile');
      browser = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 1700 },
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
      await screenshotAround(page, 'vscode-hover.png', [mark, await laidOut(hover)], 40, 40);
      await page.mouse.move(5, 400);
      await hover.waitFor({ state: 'hidden' });

      // Ctrl+. on 10022 offers the preferred fix first; applying and saving writes 22.
      await goToLine(page, 55, 14);
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget:visible');
      await menu.waitFor();
      const actions = menu.locator('.monaco-list-row.action');
      await actions.first().waitFor();
      const titles = await actions.evaluateAll((rows: Array<{ getAttribute(name: string): string | null }>) =>
        rows.map((row) => row.getAttribute('aria-label')),
      );
      assert.deepEqual(titles, [
        'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)',
        'Change port 10022 to the named port "ssh"',
        'Ignore netpol-port-unmatched on this line',
      ]);
      // The preferred fix comes first and has the focus, so Enter applies it.
      assert.match((await actions.first().getAttribute('class')) ?? '', /\bfocused\b/);
      await settled(menu);
      await screenshotAround(page, 'vscode-quick-fix.png', [mark, await laidOut(menu)], 200, 40);
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+S');
      await until('22 on disk', () => readFileSync(policyFile, 'utf8').split('\n')[54] === '      port: 22', 30_000);
      assert.doesNotMatch(readFileSync(policyFile, 'utf8'), /port: 10022/);

      // The warning is gone.
      await until('the status bar to count no problems', async () => (await problems.getAttribute('aria-label')) === 'No Problems', 30_000);
      await squiggle.first().waitFor({ state: 'detached' });
      await lensFollowsThePolicy(page);
    } catch (error) {
      const shot = path.join(path.dirname(scratch), `port-lens-e2e-failure-${process.pid}.png`);
      await page?.screenshot({ path: shot }).catch(() => undefined);
      console.error(`${failureReport()}\nscreenshot of the failure: ${shot}`);
      throw error;
    }
  },
);
