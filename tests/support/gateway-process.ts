import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * `npm start`'s entry point as a real process, the way an operator runs it. Its environment is the caller's
 * settings over a minimal one, never the jest process's (TEST_DATABASE_URL and the like must not leak in),
 * but with the temp folder and swc-node's cache, so the process writes where the test run does.
 */
export function spawnGateway(env: Record<string, string>): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: childEnv({ NODE_ENV: 'development', LOG_LEVEL: 'silent', PORT: '0', ...env }),
  });
}

/** The minimal environment of a process a test starts: PATH, HOME, the temp folder, swc-node's cache. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const inherited = ['PATH', 'HOME', 'TMPDIR', 'SWC_NODE_CACHE_DIR'].flatMap((k) =>
    process.env[k] ? [[k, process.env[k]!] as const] : [],
  );
  return { PATH: '/usr/bin:/bin', ...Object.fromEntries(inherited), ...extra };
}

export interface GatewayRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the gateway to its exit; `onStdout` sees the output so far and may signal the process. */
export function runGateway(
  env: Record<string, string>,
  onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void,
): Promise<GatewayRun> {
  return new Promise((resolve) => {
    const child = spawnGateway(env);
    const run: GatewayRun = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => {
      run.stdout += d.toString();
      onStdout?.(run.stdout, (s) => child.kill(s));
    });
    child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
    child.on('exit', (code) => resolve({ ...run, code }));
  });
}
