import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './ports';
import { run, type RunResult } from './server-user';
// A minimal environment, not process.env (TEST_DATABASE_URL and the like must not leak in); main.ts
// still loads `<cwd>/.env` for any variable not set.
import { childEnv } from '../../support/gateway-process';

/** The project root: tests/topology/support → ../../.. */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');

// How `npm start` runs the gateway (package.json), minus npm: signals then reach node itself.
const NODE_ARGS = ['--max-semi-space-size=32', '-r', '@swc-node/register'];

export interface GatewayOptions {
  /** DB URLs and any other variable; wins over the production defaults below. */
  env: Record<string, string>;
  cwd?: string;
  /** How long to wait for /health/live (the first start compiles the whole app through swc). */
  readyTimeoutMs?: number;
}

export interface GatewayProcess {
  url: string;
  port: number;
  pid: number;
  /** stdout and stderr lines so far (pino JSON lines, plus plain stderr text on fatal errors). */
  logs(): string[];
  waitForLog(
    predicate: (line: string, json: Record<string, unknown> | null) => boolean,
    timeoutMs?: number,
  ): Promise<string>;
  /** Sends the signal and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  kill(): Promise<number | null>;
}

function parse(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Starts `src/main.ts` as a real process in production mode and waits until /health/live says 200. */
export async function startGateway(options: GatewayOptions): Promise<GatewayProcess> {
  const port = Number(options.env.PORT ?? (await freePort()));
  const env = childEnv({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...options.env,
    PORT: String(port),
  });
  const child = spawn(process.execPath, [...NODE_ARGS, 'src/main.ts'], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const push = (line: string) => {
    lines.push(line);
    waiters.forEach((w) => w(line));
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = ''; // a chunk may end mid-line
    stream.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop() ?? '';
      parts.filter(Boolean).forEach(push);
    });
    stream.on('end', () => rest && push(rest));
  }
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const tail = () => lines.slice(-40).join('\n');
  const url = `http://127.0.0.1:${port}`;

  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    // main.ts exits by itself after SHUTDOWN_GRACE_MS + 5 s at worst; this only guards a hung process.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    if (done) {
      const how = child.signalCode ?? child.exitCode;
      throw new Error(`gateway exited (${how}) before it was ready:\n${tail()}`);
    }
    // A per-request timeout: a server that accepts but never answers must not stall past the deadline.
    const live = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (live) break;
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`gateway not live on ${url} after ${options.readyTimeoutMs ?? 60_000} ms:\n${tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port,
    pid: child.pid ?? -1,
    logs: () => [...lines],
    waitForLog: (predicate, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((l) => predicate(l, parse(l)));
        if (seen !== undefined) return resolve(seen);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching log line within ${timeoutMs} ms:\n${tail()}`));
        }, timeoutMs);
        const check = (line: string) => {
          if (!predicate(line, parse(line))) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(line);
        };
        waiters.add(check);
      }),
    stop,
    kill: () => stop('SIGKILL'),
  };
}

/** Runs `src/cli/<script>.ts` (e.g. 'migrate') to completion, as `npm run db:migrate` would. */
export function runCli(
  script: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<RunResult> {
  const file = path.join('src', 'cli', script.endsWith('.ts') ? script : `${script}.ts`);
  return run(process.execPath, ['-r', '@swc-node/register', file, ...args], PROJECT_ROOT, childEnv(env));
}
