import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export interface HelmRun {
  helm: string;
  args: string[];
  cwd: string;
  timeoutMs: number;
  /** stdout beyond this is not read: the process is killed and the run fails. */
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export type HelmResult =
  | { ok: true; stdout: string }
  | { ok: false; reason: 'missing' | 'failed' | 'timeout' | 'too-large' | 'cancelled'; message: string };

const MAX_ERROR_CHARS = 4000;

/**
 * Runs helm with an empty home, config, cache and plugin folder, so that no user plugin, repository
 * or kubeconfig is read, and nothing is written outside a temporary folder removed afterwards.
 * Killed (with any children) on timeout, on too much output, or when `signal` aborts.
 */
export async function runHelm(run: HelmRun): Promise<HelmResult> {
  if (run.signal?.aborted) return { ok: false, reason: 'cancelled', message: 'cancelled' };
  const home = await mkdtemp(path.join(os.tmpdir(), 'port-lens-helm-'));
  try {
    return await execute(run, home);
  } finally {
    await rm(home, { recursive: true, force: true }).catch(() => undefined);
  }
}

function execute(run: HelmRun, home: string): Promise<HelmResult> {
  const env: NodeJS.ProcessEnv = {
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
  return new Promise((resolve) => {
    const child = spawn(run.helm, run.args, { cwd: run.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let outcome: HelmResult | undefined;

    const stop = (result: HelmResult) => {
      outcome ??= result;
      try {
        // The whole process group: helm and anything it started.
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => stop({ ok: false, reason: 'timeout', message: `helm template took longer than ${run.timeoutMs / 1000} s and was stopped` }), run.timeoutMs);
    const onAbort = () => stop({ ok: false, reason: 'cancelled', message: 'cancelled' });
    run.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      if (outcome) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > run.maxOutputBytes) stop({ ok: false, reason: 'too-large', message: `helm template printed more than ${run.maxOutputBytes} bytes; the chart is not checked` });
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_ERROR_CHARS) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      outcome ??=
        error.code === 'ENOENT'
          ? { ok: false, reason: 'missing', message: `helm was not found ("${run.helm}"): install helm or set portLens.helm.path` }
          : { ok: false, reason: 'failed', message: `helm could not be started: ${error.message}` };
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
      resolve({ ok: false, reason: 'failed', message: errorText(stderr) || `helm exited with ${signal ?? `code ${code}`}` });
    });
  });
}

/** helm's own words, without its log noise, cut to a readable length. */
function errorText(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^level=(?:WARN|INFO|DEBUG)\b/.test(l));
  const text = lines.join('\n').trim();
  return text.length > MAX_ERROR_CHARS / 2 ? `${text.slice(0, MAX_ERROR_CHARS / 2)}…` : text;
}
