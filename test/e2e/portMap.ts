// The port map in VS Code, driven as a user would: the Ports view in the Explorer, the Port Map
// webview (a click on the red edge explains it, a reload restores it, a click on a box opens its
// line, an unsaved edit of the policy recolours it).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { until } from './tools';
import { IMAGES, goToLine, laidOut, openFile, runCommand, webviewContent, type Box, type Page } from './workbench';

const SSH_EDGE = 'source:external->Service/gitlab-ssh:10022/TCP';

/** The Ports view: namespace gitlab → Service gitlab-ssh → its port, with the finding on it. */
export async function portsView(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+E');
  const header = page.locator('.pane-header', { hasText: /^Ports/ });
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  const pane = page.locator('.pane', { has: header });
  const row = (label: string, level: number) =>
    pane.locator(`.monaco-list-row[aria-level="${level}"]`, {
      has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }),
    });
  const namespace = row('gitlab', 1);
  await namespace.waitFor({ timeout: 90_000 });
  assert.match(await namespace.innerText(), /4 Services · 3 pod templates · 3 policies/);
  await expand(namespace);
  const service = row('gitlab-ssh', 2);
  await service.waitFor();
  assert.match(await service.innerText(), /LoadBalancer/);
  await expand(service);
  const port = row('ssh 10022/TCP → 22', 3);
  await port.waitFor();
  assert.match(await port.innerText(), /finding: netpol-port-unmatched/);
  await expand(port);
  const target = row('Deployment gitlab · ssh 22/TCP', 4);
  await target.waitFor();
  assert.match(await target.innerText(), /denied: allow-from-all admits 80, 10022 — not 22/);
  await row('NetworkPolicy allow-from-all', 4).waitFor();
  await screenshotOf(page, 'vscode-ports-view.png', await laidOut(pane));
}

async function expand(row: Page): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) === 'true') return;
  await row.locator('.monaco-tl-twistie').click();
  await until('the row to expand', async () => (await row.getAttribute('aria-expanded')) === 'true', 10_000);
}

/**
 * Opens the map of namespace gitlab from the command palette, clicks the red edge external →
 * gitlab-ssh 10022 and reads the explanation, reloads the window and finds both restored, then
 * clicks Deployment gitlab and lands on its name (gitlab.yaml line 5).
 */
export async function portMapThroughTheUI(page: Page): Promise<void> {
  await runCommand(page, 'Kubernetes Port Lens: Show Port Map');
  await page.locator('.tab.active', { hasText: 'Port Map: gitlab' }).waitFor();
  const body = webviewContent(page);
  const edge = body.locator(`g.edge[data-edge="${SSH_EDGE}"]`);
  await edge.waitFor({ timeout: 60_000 });
  assert.match((await edge.getAttribute('class')) ?? '', /\breach denied has-finding\b/);
  assert.equal((await edge.locator('.edge-label').textContent())?.trim(), '✗ allow-from-all ⚠');
  // The forward edge 10022 → 22 on Deployment gitlab is red too; 80 on the same pod is green.
  assert.match(
    (await body.locator('g.edge[data-edge="Service/gitlab-ssh:10022/TCP->Deployment/gitlab:gitlab:22/TCP"]').getAttribute('class')) ?? '',
    /\bdenied\b/,
  );
  assert.match(
    (await body.locator('g.edge[data-edge="Service/gitlab:80/TCP->Deployment/gitlab:gitlab:80/TCP"]').getAttribute('class')) ?? '',
    /\ballowed\b/,
  );

  await edge.locator('.edge-label').click();
  await explained(body);
  await screenshotOf(page, 'vscode-port-map.png', await laidOut(page.locator('iframe.webview.ready:visible')));

  // A reload restores the panel (WebviewPanelSerializer), the chosen edge and its explanation (getState).
  // Through the command, so the workbench goes through its shutdown and saves the open panels first.
  const reloaded = page.waitForEvent('load', { timeout: 120_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.tab', { hasText: 'Port Map: gitlab' }).click({ timeout: 180_000 });
  // The extension host and the server start again: on a loaded machine that takes a while.
  await explained(webviewContent(page), 180_000);
  assert.match((await webviewContent(page).locator(`g.edge[data-edge="${SSH_EDGE}"]`).getAttribute('class')) ?? '', /\bselected\b/);

  await webviewContent(page).locator('g.node.header[data-node="Deployment/gitlab"]').click();
  await page.locator('.tab.active', { hasText: 'gitlab.yaml' }).waitFor();
  await until(
    "the cursor on the Deployment's name (line 5)",
    async () => /Ln 5, Col 9\b/.test(await page.locator('#status\\.editor\\.selection').innerText()),
    10_000,
  );

  // Live: 22 typed over 10022 in the policy, unsaved, beside the map, turns the edge green; undone, red.
  // Quick Open opens in the active group: gitlab.yaml's, not the map's (the click on the box may leave the map's active).
  await page.locator('.tab', { hasText: 'gitlab.yaml' }).click();
  await page.locator('.editor-group-container.active .tab.active', { hasText: 'gitlab.yaml' }).waitFor();
  await openFile(page, 'networkpolicies.yaml');
  await goToLine(page, 55, 13);
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('22');
  const sshEdge = webviewContent(page).locator(`g.edge[data-edge="${SSH_EDGE}"]`);
  await until('the edge to turn green', async () => /\ballowed\b/.test((await sshEdge.getAttribute('class')) ?? ''), 30_000);
  await until(
    'the explanation to follow',
    async () => /✓ allowed/.test(await webviewContent(page).locator('#details').innerText()),
    30_000,
  );
  for (let i = 0; i < 5 && (await page.locator('.tab.active.dirty').count()) > 0; i++) await page.keyboard.press('Control+Z');
  assert.equal(await page.locator('.tab.active.dirty').count(), 0, 'undo did not bring the policy back to its saved text');
  await until('the edge to turn red again', async () => /\bdenied\b/.test((await sshEdge.getAttribute('class')) ?? ''), 30_000);
  await runCommand(page, 'View: Close All Editor Groups');
  await until('every editor closed', async () => (await page.locator('.part.editor .tab:visible').count()) === 0, 10_000);
}

async function explained(body: Page, timeout = 60_000): Promise<void> {
  const details = body.locator('#details');
  await details.locator('h2', { hasText: 'external → gitlab/gitlab-ssh:10022' }).waitFor({ timeout });
  await until('the explanation', async () => /✗ denied/.test(await details.innerText()), 30_000);
  const text: string = await details.innerText();
  assert.match(
    text,
    /Service gitlab\/gitlab-ssh \(LoadBalancer\) 10022\/TCP → targetPort 22 → Deployment gitlab\/gitlab, container gitlab, 22\/TCP "ssh": ✗ denied/,
  );
  assert.match(text, /rule 1: admits every source \(no from\); on 80\/TCP and 10022\/TCP — not 22\/TCP "ssh"/);
  assert.match(text, /Change port 10022 to 22/);
  const links: string[] = await details.locator('a').allInnerTexts();
  assert.ok(links.includes('NetworkPolicy gitlab/allow-from-all'), `no link to the policy among ${JSON.stringify(links)}`);
}

async function screenshotOf(page: Page, name: string, box: Box): Promise<void> {
  mkdirSync(IMAGES, { recursive: true });
  await page.screenshot({ path: path.join(IMAGES, name), clip: box });
}
