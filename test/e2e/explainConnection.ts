// "Explain a connection" in VS Code, driven as a user would: the code lens above a Service port,
// the command with its two quick picks, the Markdown preview and its links back to the manifests.
import assert from 'node:assert/strict';
import { until } from './tools';
import {
  cursorAt,
  goToLine,
  laidOut,
  openFile,
  pick,
  runCommand,
  screenshotAround,
  webviewContent,
  type Box,
  type Page,
} from './workbench';

const SSH_LENS = 'reachable from: external ✗ (allow-from-all admits 80, 10022 — not 22)';

/** The code lens of a Service port of gitlab.yaml whose text begins with `start`. */
function lens(page: Page, start: string) {
  return page.locator('.monaco-editor .codelens-decoration a', { hasText: start });
}

/** Checks the lens above gitlab-ssh's port, explains external → gitlab-ssh:10022 through the command palette, follows a link of the answer. */
export async function explainThroughTheUI(page: Page): Promise<void> {
  await openFile(page, 'gitlab.yaml');
  const sshLens = lens(page, 'reachable from: external');
  await sshLens.waitFor({ timeout: 90_000 });
  assert.equal((await sshLens.innerText()).trim(), SSH_LENS);
  // The lens sits right above `- name: ssh` of the Service (line 37), the port's first line.
  const lensBox = await laidOut(sshLens);
  const portLine = await laidOut(page.locator('.view-line', { hasText: 'port: 10022' }));
  const lineHeight = portLine.height;
  // Line 21 (the container's port) reads `- name: ssh` too; the editor does not keep its lines in DOM order.
  const nameLines: number[] = await page
    .locator('.view-line', { hasText: '- name: ssh' })
    .evaluateAll((lines: Array<{ getBoundingClientRect(): { top: number } }>) => lines.map((line) => line.getBoundingClientRect().top));
  assert.ok(
    nameLines.some((top) => top > lensBox.y && top - lensBox.y < 2 * lineHeight && Math.abs(portLine.y - top - 2 * lineHeight) < 1),
    `the lens (y ${lensBox.y}) is not right above line 37 (lines \`- name: ssh\` at ${nameLines}, port: 10022 at ${portLine.y})`,
  );
  await screenshotAround(page, 'vscode-code-lens.png', [lensBox, portLine], 140, 60);

  await runCommand(page, 'Kubernetes Port Lens: Explain Connection…');
  await pick(page, 'Explain Connection (1/2)', 'external');
  await pick(page, 'Explain Connection (2/2)', 'gitlab/gitlab-ssh:10022');
  await shownExplanation(page);
  const tab = await laidOut(page.locator('.tab.active', { hasText: 'external → gitlab∕gitlab-ssh:10022' }));
  await screenshotAround(page, 'vscode-explain.png', [tab, await previewText(page)], 0, 16);

  // A link of the answer opens the manifest at the object it names.
  await webviewContent(page).locator('a', { hasText: 'NetworkPolicy gitlab/allow-from-all' }).click();
  await page.locator('.tab.active', { hasText: 'networkpolicies.yaml' }).waitFor();
  await until('the cursor on allow-from-all (line 47)', () => cursorAt(page, 47, 1), 10_000);

  // A click on the lens shows the same answer.
  await closeAllEditors(page);
  await openFile(page, 'gitlab.yaml');
  await sshLens.click();
  await shownExplanation(page);
  await closeAllEditors(page);
}

async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editor Groups');
  await until('every editor closed', async () => (await page.locator('.part.editor .tab:visible').count()) === 0, 10_000);
}

/**
 * After 10022 became 22 in the policy, the lens of gitlab-ssh says external gets through; typing
 * 10022 back into the policy, beside it and unsaved, turns it back without reopening gitlab.yaml.
 */
export async function lensFollowsThePolicy(page: Page): Promise<void> {
  await openFile(page, 'gitlab.yaml');
  const allowed = lens(page, 'reachable from: external ✓');
  await allowed.waitFor({ timeout: 30_000 });
  assert.equal((await allowed.innerText()).trim(), 'reachable from: external ✓ (allow-from-all ingress rule 1)');

  await runCommand(page, 'View: Split Editor Right');
  await until('two editor groups', async () => (await page.locator('.part.editor .editor-group-container').count()) === 2, 10_000);
  await openFile(page, 'networkpolicies.yaml');
  await goToLine(page, 55, 13);
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('10022');
  const denied = lens(page, 'reachable from: external ✗');
  await denied.waitFor({ timeout: 30_000 });
  assert.equal((await denied.innerText()).trim(), SSH_LENS);
  await allowed.waitFor({ state: 'detached' });
}

/** Waits for the preview of external → gitlab-ssh:10022 and checks what it says. */
async function shownExplanation(page: Page): Promise<void> {
  await page.locator('.tab.active', { hasText: 'external → gitlab∕gitlab-ssh:10022' }).waitFor();
  const body = webviewContent(page);
  await body.locator('h1', { hasText: 'external → gitlab/gitlab-ssh:10022' }).waitFor();
  const text: string = await body.innerText();
  assert.match(text, /✗ denied\n/);
  assert.match(
    text,
    /Service gitlab\/gitlab-ssh \(LoadBalancer\) 10022\/TCP → targetPort 22 → Deployment gitlab\/gitlab, container gitlab, 22\/TCP "ssh": ✗ denied/,
  );
  assert.match(
    text,
    /ingress: ✗ NetworkPolicy allow-from-all isolates Deployment gitlab\/gitlab for ingress and no rule admits 22\/TCP "ssh" from clients outside the cluster/,
  );
  assert.match(text, /rule 1: admits every source \(no from\); on 80\/TCP and 10022\/TCP — not 22\/TCP "ssh"/);
  assert.match(text, /Change port 10022 to 22/);
  // Every object named is a link, none left as Markdown source.
  assert.doesNotMatch(text, /\]\(/);
  const links: string[] = await body.locator('a').allInnerTexts();
  for (const name of ['Deployment gitlab/gitlab', 'NetworkPolicy gitlab/allow-from-all', 'rule 1', '"22"']) {
    assert.ok(links.includes(name), `no link "${name}" among ${JSON.stringify(links)}`);
  }
}

/** Where the preview's text is drawn: the webview's box, cut to the height of its content. */
async function previewText(page: Page): Promise<Box> {
  const frame = await laidOut(page.locator('iframe.webview.ready:visible'));
  const height: number = await webviewContent(page).evaluate((body: { scrollHeight: number }) => body.scrollHeight);
  return { ...frame, height: Math.min(frame.height, height) };
}
