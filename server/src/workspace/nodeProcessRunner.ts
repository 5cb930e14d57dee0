import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProcessRequest, ProcessResult, ProcessRunner } from './host';

const MAX_ERROR_CHARS = 4000;

/**
 * Runs a program with an empty home, config, cache and plugin folder, so that no user plugin,
 * repository or kubeconfig is read, and nothing is written outside a temporary folder removed
 * afterwards (`env` may add variables). Killed (with any children) on timeout, on too much output, or when `signal` aborts.
 */
export const nodeProcessRunner: ProcessRunner = {
  async run(request: ProcessRequest): Promise<ProcessResult> {
    if (request.signal?.aborted) return { ok: false, reason: 'cancelled', message: 'cancelled' };
    const home = await mkdtemp(path.join(os.tmpdir(), 'port-lens-run-'));
    try {
      return await execute(request, home);
    } finally {
      await rm(home, { recursive: true, force: true }).catch(() => undefined);
    }
  },
};

function isolatedEnvironment(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_DATA_HOME: path.join(home, 'data'),
    HELM_CONFIG_HOME: path.join(home, 'config', 'helm'),
    HELM_CACHE_HOME: path.join(home, 'cache', 'helm'),
    HELM_DATA_HOME: path.join(home, 'data', 'helm'),
    HELM_PLUGINS: path.join(home, 'plugins'),
    KUBECONFIG: path.join(home, 'kubeconfig'),
  };
}

function execute(run: ProcessRequest, home: string): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(run.command, run.args, {
      cwd: run.cwd,
      env: { ...isolatedEnvironment(home), ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let outcome: ProcessResult | undefined;

    const stop = (result: ProcessResult) => {
      outcome ??= result;
      try {
        // The whole process group: the program and anything it started.
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(
      () => stop({ ok: false, reason: 'timeout', message: `${run.title} took longer than ${run.timeoutMs / 1000} s and was stopped` }),
      run.timeoutMs,
    );
    const onAbort = () => stop({ ok: false, reason: 'cancelled', message: 'cancelled' });
    run.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      if (outcome) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > run.maxOutputBytes)
        stop({ ok: false, reason: 'too-large', message: `${run.title} printed more than ${run.maxOutputBytes} bytes; it is not checked` });
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_ERROR_CHARS) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      outcome ??=
        error.code === 'ENOENT'
          ? { ok: false, reason: 'missing', message: `"${run.command}" was not found` }
          : { ok: false, reason: 'failed', message: `${run.command} could not be started: ${error.message}` };
      if (child.pid === undefined) {
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      }
    });
    child.on('close', (code, signal) => {
      if (child.pid === undefined) return;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (outcome) return resolve(outcome);
      if (code === 0) return resolve({ ok: true, stdout: Buffer.concat(stdout).toString('utf8') });
      resolve({ ok: false, reason: 'failed', message: errorText(stderr) || `${run.command} exited with ${signal ?? `code ${code}`}` });
    });
  });
}

/** The program's own words, without its log noise, cut to a readable length. */
function errorText(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^level=(?:WARN|INFO|DEBUG)\b/.test(l));
  const text = lines.join('\n').trim();
  return text.length > MAX_ERROR_CHARS / 2 ? `${text.slice(0, MAX_ERROR_CHARS / 2)}…` : text;
}
