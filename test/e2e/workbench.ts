// Steps on VS Code's workbench in the browser: opening files, the command palette, quick picks,
// webviews, and screenshots of a part of the editor.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT, until } from './tools';

// The README's screenshots are rewritten only on request: their bytes vary a little from run to
// run, and a test run should not leave the work tree changed.
export const IMAGES =
  process.env.PORT_LENS_UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/images') : path.join(tmpdir(), 'port-lens-e2e-screenshots');

// playwright-core is installed in the e2e cache, not among the project's dependencies, so its
// types are not visible to tsc: the browser objects are untyped here.

export type Page = any;
export type Locator = any;

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
