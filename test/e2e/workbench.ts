// VS Code's workbench in the browser: code-server started with the packaged extension, and steps
// on it: opening files, the command palette, quick picks, webviews, screenshots of a part of it.
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CHROMIUM,
  CODE_SERVER_NEEDS,
  ROOT,
  ensureTools,
  filesUnder,
  freePort,
  isolatedEnv,
  leadsGroup,
  missingTool,
  stop,
  tails,
  until,
} from './tools';

// The README's screenshots are rewritten only on request: their bytes vary a little from run to
// run, and a test run should not leave the work tree changed.
export const IMAGES =
  process.env.PORT_LENS_UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/images') : path.join(tmpdir(), 'port-lens-e2e-screenshots');

// playwright-core is installed in the e2e cache, not among the project's dependencies, so its
// types are not visible to tsc: the browser objects are untyped here.

export type Page = any;
export type Locator = any;

/** The settings of every editor under test: no telemetry, updates, tips or walkthroughs; no autosave; a quick hover. */
const BASE_SETTINGS = {
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
};

export interface CodeServer {
  /** The workbench, with `workspace` open. */
  page: Page;
  /** The scratch folder the editor's home, profile and logs are in (removed by stopCodeServer). */
  scratch: string;
  server?: ChildProcess;
  browser?: any;
  /** code-server's own output so far. */
  output: string;
}

export interface CodeServerOptions {
  /** The folder for code-server's home, user data and extensions, and the browser's profile; removed afterwards. */
  scratch: string;
  /** The browser window's height (its width is 1280). */
  height: number;
}

/**
 * Packages the extension, installs it into a fresh code-server, starts code-server on `workspace`
 * with `settings` over the shared ones, and opens its workbench in headless Chromium. Everything
 * is stopped and `scratch` removed after the test (stopCodeServer).
 */
export async function startCodeServer(
  t: TestContext,
  workspace: string,
  settings: Record<string, unknown>,
  { scratch, height }: CodeServerOptions,
): Promise<CodeServer> {
  const editor: CodeServer = { page: undefined, scratch, output: '' };
  t.after(() => stopCodeServer(editor));
  const missing = missingTool(CODE_SERVER_NEEDS);
  assert.equal(missing, undefined, missing);
  const tools = ensureTools((line) => t.diagnostic(line));

  const home = path.join(scratch, 'home');
  const userData = path.join(scratch, 'user-data');
  const extensions = path.join(scratch, 'extensions');
  const config = path.join(scratch, 'code-server.yaml');
  for (const dir of [home, path.join(userData, 'User'), extensions]) mkdirSync(dir, { recursive: true });
  writeFileSync(config, 'auth: none\ncert: false\n');
  writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }));

  // code-server and the browser write only into the scratch folder.
  const env = isolatedEnv(home, { TMPDIR: scratch });
  const codeServerArgs = [tools.codeServer, '--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'pipe' });
  const installed = execFileSync('node', [...codeServerArgs, '--install-extension', path.join(ROOT, 'k8s-port-lens.vsix')], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.match(installed, /successfully installed/i);

  await onFailure(editor, async () => {
    const port = await freePort();
    const server = leadsGroup(
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
    editor.server = server;
    server.stdout!.on('data', (chunk) => (editor.output += chunk));
    server.stderr!.on('data', (chunk) => (editor.output += chunk));
    const base = `http://127.0.0.1:${port}`;
    await until(
      'code-server to answer /healthz',
      async () => server.exitCode === null && (await fetch(`${base}/healthz`).catch(() => undefined))?.ok,
      60_000,
    );

    const { chromium } = require(tools.playwrightCore);
    editor.browser = await chromium.launchPersistentContext(path.join(scratch, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height },
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
    const page = editor.browser.pages()[0] ?? (await editor.browser.newPage());
    page.setDefaultTimeout(60_000);
    editor.page = page;
    await page.addInitScript(recordPortLensStatus);
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor();
  });
  return editor;
}

/**
 * Runs in the page before the workbench: keeps every text the Port Lens status bar item shows,
 * in order, in `window.portLensStatus`, so that a test can see what it showed before it looked.
 */
function recordPortLensStatus(): void {
  const shown: string[] = [];
  (globalThis as unknown as { portLensStatus: string[] }).portLensStatus = shown;
  const doc = (globalThis as unknown as { document: any }).document;
  new (globalThis as unknown as { MutationObserver: any }).MutationObserver(() => {
    const items: Array<{ textContent: string }> = [...doc.querySelectorAll('.statusbar-item')];
    const text = items.map((item) => item.textContent.trim()).find((label) => label.startsWith('Port Lens'));
    if (text !== undefined && shown[shown.length - 1] !== text) shown.push(text);
  }).observe(doc, { subtree: true, childList: true, characterData: true });
}

/** What the Port Lens status bar item has shown since the page was loaded, oldest first. */
export function portLensStatusHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { portLensStatus: string[] }).portLensStatus);
}

/** The Port Lens status bar item. */
export function portLensStatus(page: Page): Locator {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /^\s*Port Lens/ });
}

/** Closes the browser, stops code-server with its process group (extension host, language server), removes the scratch folder. */
export async function stopCodeServer(editor: CodeServer): Promise<void> {
  await editor.browser?.close().catch(() => undefined);
  await stop(editor.server);
  rmSync(editor.scratch, { recursive: true, force: true });
}

/**
 * Runs `steps`; when they fail, prints code-server's output and the extension host's and the
 * extension's logs, keeps a screenshot of the page beside the scratch folder, and fails.
 */
export async function onFailure(editor: CodeServer, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (error) {
    const shot = path.join(path.dirname(editor.scratch), `${path.basename(editor.scratch)}-failure.png`);
    await editor.page?.screenshot({ path: shot }).catch(() => undefined);
    const logs = tails(filesUnder(path.join(editor.scratch, 'user-data/logs'), /(exthost|remoteagent|Port Lens)[^/]*\.log$/));
    console.error(`code-server output:\n${editor.output.split('\n').slice(-80).join('\n')}\n${logs}\nscreenshot of the failure: ${shot}`);
    throw error;
  }
}

export async function openFile(page: Page, name: string): Promise<void> {
  await until(`Quick Open to find ${name}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 5000 });
    await input.fill(name);
    // Quick Open may rank another recent editor (a preview of a name alike) above the file.
    await choice(page, name).click({ timeout: 5000 });
    await page.locator(`.tab.active`, { hasText: name }).waitFor({ timeout: 5000 });
    return true;
  });
  await focusEditor(page);
}

export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
}

export async function goToLine(page: Page, line: number, column: number): Promise<void> {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  await until(`the cursor at ${line}:${column}`, async () => cursorAt(page, line, column), 10_000);
}

/** Whether the status bar shows the cursor at line:column. */
export async function cursorAt(page: Page, line: number, column: number): Promise<boolean> {
  return new RegExp(`Ln ${line}, Col ${column}\\b`).test(await page.locator('#status\\.editor\\.selection').innerText());
}

/** Runs a command from the command palette by its full title ("Category: Title"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await until(`the command palette to offer "${title}"`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 5000 });
    await input.fill(`>${title}`);
    // The palette may rank a command of a title alike first ("Split Editor into Right Group").
    await choice(page, title).click({ timeout: 5000 });
    return true;
  });
}

/**
 * Picks the item labelled `label` in the open quick pick, by typing it into the filter as a user
 * would, and checks that the quick pick's title is `title` first.
 */
export async function pick(page: Page, title: string, label: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor();
  await widget.locator('input').fill(label);
  await focusedRow(page, label, 10_000);
  await page.keyboard.press('Enter');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'hidden' });
}

/** The row of the quick input labelled exactly `label`. */
function choice(page: Page, label: string): Locator {
  const exactly = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly }) });
}

/** Waits until the focused row of the quick input is the one labelled exactly `label`. */
async function focusedRow(page: Page, label: string, timeoutMs: number): Promise<void> {
  const focused = page.locator('.quick-input-list .monaco-list-row.focused .label-name');
  await until(
    `"${label}" to be the focused choice`,
    async () => (await focused.count()) === 1 && (await focused.innerText()).trim() === label,
    timeoutMs,
  );
}

/** Opens the quick fix menu (Ctrl+.) at the cursor; returns it, with the titles of its actions in order. */
export async function openQuickFixes(page: Page): Promise<{ menu: Locator; titles: string[] }> {
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget:visible');
  await menu.waitFor();
  const actions = menu.locator('.monaco-list-row.action');
  await actions.first().waitFor();
  await settled(menu);
  const titles = await actions.evaluateAll((rows: Array<{ getAttribute(name: string): string | null }>) =>
    rows.map((row) => row.getAttribute('aria-label')),
  );
  return { menu, titles };
}

/** Ctrl+. at the cursor: the preferred fix, `title`, comes first and has the focus, and Enter applies it. */
export async function applyPreferredFix(page: Page, title: string): Promise<void> {
  const { menu, titles } = await openQuickFixes(page);
  assert.equal(titles[0], title);
  assert.match((await menu.locator('.monaco-list-row.action').first().getAttribute('class')) ?? '', /\bfocused\b/, 'not focused');
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
}

/** Applies the action `title` of the open quick fix menu from the keyboard (a click may land on the menu's pointer guard). */
export async function applyQuickFix(page: Page, menu: Locator, title: string): Promise<void> {
  const focused = menu.locator('.monaco-list-row.action.focused');
  for (let i = 0; i < 10 && (await focused.getAttribute('aria-label')) !== title; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await focused.getAttribute('aria-label'), title);
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden' });
}

/** The document inside the visible webview (a Markdown preview, say): VS Code nests it in two iframes. */
export function webviewContent(page: Page): Locator {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame').locator('body');
}

/** Waits for an element's animations (the fade-in of hovers and menus) to end. */
export async function settled(element: Locator): Promise<void> {
  await until(
    'the animation to end',
    () =>
      element.evaluate((node: { getAnimations(options: object): Array<{ playState: string }> }) =>
        node.getAnimations({ subtree: true }).every((animation) => animation.playState === 'finished'),
      ),
    10_000,
  );
}

/** How many lines of text an element shows, as laid out (a wrapped paragraph counts each of its lines). */
export function renderedLines(element: Locator): Promise<number> {
  return element.evaluate((node: unknown) => {
    const doc = (globalThis as unknown as { document: any }).document;
    const walker = doc.createTreeWalker(node, 4 /* NodeFilter.SHOW_TEXT */);
    const tops: number[] = [];
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      if (!text.textContent.trim()) continue;
      const range = doc.createRange();
      range.selectNodeContents(text);
      for (const rect of range.getClientRects()) if (rect.height > 0) tops.push(rect.top);
    }
    // Pieces of one line (a link, a code span) sit within a few pixels of each other.
    tops.sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top - tops[i - 1] > 6).length;
  });
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The element's box, once it has one (an element being re-rendered has none for a moment). */
export function laidOut(element: Locator): Promise<Box> {
  // boundingBox() answers null while the element is detached (a code lens being re-rendered): not done yet.
  return until('the element to be laid out', async () => (await element.boundingBox()) ?? undefined, 10_000);
}

/** A screenshot of the editor's width, from `above` pixels over the boxes to `below` under them: small enough to commit. */
export async function screenshotAround(page: Page, name: string, boxes: Box[], above: number, below: number): Promise<void> {
  mkdirSync(IMAGES, { recursive: true });
  const editor: Box = await page.locator('.part.editor').boundingBox();
  const top = Math.max(editor.y, Math.min(...boxes.map((box) => box.y)) - above);
  const bottom = Math.min(editor.y + editor.height, Math.max(...boxes.map((box) => box.y + box.height)) + below);
  const right = Math.max(...boxes.map((box) => box.x + box.width)) + 20;
  await page.screenshot({
    path: path.join(IMAGES, name),
    clip: { x: editor.x, y: top, width: Math.min(editor.width, Math.max(720, right - editor.x)), height: bottom - top },
  });
}

/** A screenshot of the Problems panel's rows, the panel's width. */
export async function screenshotOfProblems(page: Page, name: string): Promise<void> {
  mkdirSync(IMAGES, { recursive: true });
  const panel = await laidOut(page.locator('.part.panel'));
  const rows: Box[] = await page
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((nodes: Array<{ getBoundingClientRect(): Box }>) => nodes.map((node) => node.getBoundingClientRect()));
  const bottom = Math.max(...rows.map((row) => row.y + row.height)) + 8;
  await page.screenshot({ path: path.join(IMAGES, name), clip: { x: panel.x, y: panel.y, width: panel.width, height: bottom - panel.y } });
}

/** A screenshot of the right part of the status bar, from `width` pixels left of `item` to the window's edge. */
export async function screenshotOfStatusBar(page: Page, name: string, item: Locator, width: number): Promise<void> {
  mkdirSync(IMAGES, { recursive: true });
  const bar = await laidOut(page.locator('#workbench\\.parts\\.statusbar'));
  const box = await laidOut(item);
  const x = Math.max(bar.x, box.x - width);
  await page.screenshot({ path: path.join(IMAGES, name), clip: { x, y: bar.y, width: bar.x + bar.width - x, height: bar.height } });
}
