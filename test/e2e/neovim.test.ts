// The language server in Neovim's built-in LSP client, the "any LSP editor" claim made real.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { NVIM, ROOT, filesUnder, gitlabWorkspace, isolatedEnv, missingTool, scratchDir, e2eSkip, stop, tails } from './tools';

interface NeovimResult {
  steps: string[];
  error?: string;
  diagnostics?: Array<{ line: number; col: number; end_col: number; severity: number; code: string; source: string; message: string }>;
  hover?: string;
  actions?: Array<{ title: string; isPreferred: boolean }>;
  cleared?: boolean;
}

test('Neovim LSP client: diagnostic, hover and quick fix', { skip: e2eSkip([NVIM]) }, async (t) => {
  const missing = missingTool([NVIM]);
  assert.equal(missing, undefined, missing);

  const scratch = scratchDir('neovim');
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const workspace = gitlabWorkspace(scratch);
  const home = path.join(scratch, 'home');
  mkdirSync(home);
  const resultFile = path.join(scratch, 'result.json');
  const server = path.join(ROOT, 'dist/server.js');
  assert.ok(existsSync(server), 'dist/server.js is missing: run npm run build first');
  const env = isolatedEnv(home, { PORT_LENS_SERVER: server, PORT_LENS_WORKSPACE: workspace, PORT_LENS_RESULT: resultFile });

  const nvim = spawn(NVIM, ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(__dirname, 'neovim.lua')}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  nvim.stdout.on('data', (chunk) => (output += chunk));
  nvim.stderr.on('data', (chunk) => (output += chunk));
  // The script stops itself on every path; this only guards against a Neovim that hangs.
  const guard = setTimeout(() => void stop(nvim), 180_000);
  const code = await new Promise<number | null>((resolve) => nvim.once('exit', resolve));
  clearTimeout(guard);

  const report = () => `nvim exited with ${code}; output:\n${output}\n${tails(filesUnder(home, /lsp\.log$/))}`;
  assert.ok(existsSync(resultFile), `Neovim wrote no result. ${report()}`);
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as NeovimResult;
  assert.equal(result.error, undefined, `${result.error} after steps ${result.steps.join(', ')}. ${report()}`);

  const policyLines = readFileSync(path.join(ROOT, 'examples/gitlab/networkpolicies.yaml'), 'utf8').split('\n');
  const line10022 = policyLines.findIndex((line) => line.includes('port: 10022'));
  assert.deepEqual(
    result.diagnostics!.map(({ line, col, end_col, severity, code, source }) => ({ line, col, end_col, severity, code, source })),
    [{ line: line10022, col: 12, end_col: 17, severity: 2, code: 'netpol-port-unmatched', source: 'k8s-port-lens' }],
  );
  assert.match(result.diagnostics![0].message, /^Port 10022\/TCP is the Service port of gitlab\/gitlab-ssh; the pods listen on 22\./);

  assert.match(result.hover!, /gitlab-ssh/);
  assert.match(result.hover!, /10022\/TCP → targetPort 22 → \[Deployment gitlab\/gitlab\]/);

  assert.deepEqual(result.actions, [
    { title: 'Change port 10022 to 22 (Service gitlab/gitlab-ssh forwards 10022 → 22)', isPreferred: true },
    { title: 'Change port 10022 to the named port "ssh"', isPreferred: false },
    { title: 'Ignore netpol-port-unmatched on this line', isPreferred: false },
  ]);

  const written = readFileSync(path.join(workspace, 'networkpolicies.yaml'), 'utf8').split('\n');
  assert.equal(written[line10022], '      port: 22');
  assert.deepEqual(
    written.filter((_, i) => i !== line10022),
    policyLines.filter((_, i) => i !== line10022),
  );
  assert.equal(result.cleared, true, 'the warning stayed after the fix was written');
});
