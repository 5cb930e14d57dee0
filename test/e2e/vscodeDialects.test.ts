// The story's mistake written in Cilium's and Calico's policies, in a real VS Code (code-server):
// each a warning, each fixed to 22 by the preferred quick fix, in its own dialect's syntax.
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
    const missing = missingTool(CODE_SERVER_NEEDS);
    assert.equal(missing, undefined, missing);
    const log = (line: string) => t.diagnostic(line);
    const tools = ensureTools(log);

    const scratch = scratchDir('dialects');
    const home = path.join(scratch, 'home');
    const userData = path.join(scratch, 'user-data');
    const extensions = path.join(scratch, 'extensions');
    const config = path.join(scratch, 'code-server.yaml');
    const workspace = path.join(scratch, 'workspace');
    for (const dir of [home, path.join(userData, 'User'), extensions, workspace]) mkdirSync(dir, { recursive: true });
    for (const c of CASES) execFileSync('cp', ['-r', path.join(ROOT, 'examples', c.folder), path.join(workspace, c.folder)]);
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

      // One warning per dialect, nothing else.
      const problems = page.locator('#status\\.problems');
      await openFile(page, CASES[0].file);
      await until('the status bar to count 2 warnings', async () => (await problems.getAttribute('aria-label')) === 'Warnings: 2', 90_000);

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
        await page.keyboard.press('Control+.');
        const menu = page.locator('.action-widget:visible');
        await menu.waitFor();
        const actions = menu.locator('.monaco-list-row.action');
        await actions.first().waitFor();
        assert.equal(
          await actions.first().getAttribute('aria-label'),
          'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)',
        );
        assert.match((await actions.first().getAttribute('class')) ?? '', /\bfocused\b/);
        await settled(menu);
        await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden' });
        await page.keyboard.press('Control+S');
        await until(`22 on disk in ${c.file}`, () => readFileSync(file, 'utf8').split('\n')[c.line - 1] === c.fixed, 30_000);
        const left = i === CASES.length - 1 ? 'No Problems' : 'Warnings: 1';
        await until(`the status bar to say ${left}`, async () => (await problems.getAttribute('aria-label')) === left, 30_000);
      }
    } catch (error) {
      const shot = path.join(path.dirname(scratch), `port-lens-e2e-dialects-failure-${process.pid}.png`);
      await page?.screenshot({ path: shot }).catch(() => undefined);
      console.error(
        `code-server output:\n${serverOutput.split('\n').slice(-80).join('\n')}\n${tails(filesUnder(path.join(userData, 'logs'), /(exthost|remoteagent|Port Lens)[^/]*\.log$/))}\nscreenshot of the failure: ${shot}`,
      );
      throw error;
    }
  },
);
