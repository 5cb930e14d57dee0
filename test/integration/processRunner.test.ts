import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { nodeProcessRunner } from '../../server/src/workspace/nodeProcessRunner';

test('the runner gives a program an empty home of its own, the variables the request adds, and none of the caller’s', async () => {
  process.env.PORT_LENS_CALLER_SECRET = 'not for children';
  try {
    const result = await nodeProcessRunner.run({
      command: process.execPath,
      args: ['-e', 'const fs = require("fs"); console.log(JSON.stringify({ env: process.env, home: fs.readdirSync(process.env.HOME) }))'],
      cwd: os.tmpdir(),
      env: { HTTPS_PROXY: 'http://127.0.0.1:9' },
      title: 'node',
      timeoutMs: 30_000,
      maxOutputBytes: 1_000_000,
    });
    assert.ok(result.ok, !result.ok ? result.message : '');
    const { env, home } = JSON.parse(result.stdout) as { env: Record<string, string>; home: string[] };
    assert.equal(env.HTTPS_PROXY, 'http://127.0.0.1:9');
    assert.equal(env.PORT_LENS_CALLER_SECRET, undefined);
    assert.notEqual(env.HOME, os.homedir());
    assert.deepEqual(home, [], 'the home is empty');
    assert.ok(env.KUBECONFIG.startsWith(env.HOME), 'kubeconfig inside the empty home');
    assert.equal(existsSync(env.HOME), false, 'the home is removed afterwards');
  } finally {
    delete process.env.PORT_LENS_CALLER_SECRET;
  }
});
