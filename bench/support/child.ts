import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** What a server child process reports about itself when asked. */
export interface ChildStats {
  /** SQL statements sent so far, per database (transaction control excluded). */
  statements: { primary: number; data: number };
  /** Peak resident set size of the child since it started (getrusage maxrss), in bytes. */
  maxRssBytes: number;
  /** Current resident set size, in bytes. */
  rssBytes: number;
  /** CPU time (user and system) the process has used since it started, in microseconds. */
  cpuMicros: number;
}

type ChildMessage =
  { type: 'ready'; url: string } | ({ type: 'stats' } & ChildStats) | { type: 'error'; message: string };

export interface ServerChild {
  url: string;
  pid: number;
  stats(): Promise<ChildStats>;
  stop(): Promise<void>;
}

/**
 * Servers under test run in their own Node process: their memory is measured apart from the load
 * generator's, and autocannon's event loop never competes with the server's inside one process.
 */
export async function startServerChild(script: string, options: unknown): Promise<ServerChild> {
  const child: ChildProcess = fork(path.join(__dirname, '..', script), [], {
    // The young-generation size `npm start` runs the gateway with (docs/DEPLOYMENT_CHECKLIST.md), given to
    // every server here alike.
    execArgv: ['--max-semi-space-size=32', '-r', '@swc-node/register'],
    // NODE_ENV=production as deployed (docs/DEPLOYMENT_CHECKLIST.md): graphql-js, which every server here
    // runs on, checks types with a slower development-only path otherwise.
    env: { ...process.env, NODE_ENV: 'production', BENCH_CHILD_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: ChildMessage['type']) =>
    new Promise<ChildMessage>((resolve, reject) => {
      const onMessage = (m: ChildMessage) => {
        if (m.type === 'error') return (cleanup(), reject(new Error(`${script}: ${m.message}`)));
        if (m.type === type) return (cleanup(), resolve(m));
      };
      const onExit = (code: number | null) => (cleanup(), reject(new Error(`${script} exited (${code})`)));
      const cleanup = () => (child.off('message', onMessage), child.off('exit', onExit));
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const ready = (await next('ready')) as { url: string };
  return {
    url: ready.url,
    pid: child.pid!,
    async stats() {
      const reply = next('stats');
      child.send({ type: 'stats' });
      const { type: _type, ...stats } = (await reply) as { type: 'stats' } & ChildStats;
      return stats;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      // A server that does not drain in time is killed: a stuck child must not hang the bench.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Child side: answer stats requests, stop on request, and report startup failures to the parent. */
export function serveChild(
  start: (
    options: never,
  ) => Promise<{ url: string; statements(): ChildStats['statements']; stop(): Promise<void> }>,
): void {
  const send = (m: ChildMessage) => process.send?.(m);
  const options = JSON.parse(process.env.BENCH_CHILD_OPTIONS ?? '{}') as never;
  start(options).then(
    (server) => {
      process.on('message', (m: { type: string }) => {
        if (m.type === 'stats') {
          const usage = process.resourceUsage();
          const cpu = process.cpuUsage();
          send({
            type: 'stats',
            statements: server.statements(),
            maxRssBytes: usage.maxRSS * 1024,
            rssBytes: process.memoryUsage.rss(),
            cpuMicros: cpu.user + cpu.system,
          });
        } else if (m.type === 'stop') {
          void server.stop().finally(() => process.exit(0));
        }
      });
      // The parent dying must not leave an orphan server holding database connections.
      process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
      send({ type: 'ready', url: server.url });
    },
    (err: unknown) => {
      send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      process.exit(1);
    },
  );
}
