import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** Runs a command to completion; rejects with its stderr on a non-zero exit. Returns wall seconds. */
export function timed(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(Number(process.hrtime.bigint() - started) / 1e9)
        : reject(new Error(`${command} ${args[0]} exited ${code}: ${stderr.slice(-800)}`)),
    );
  });
}

/**
 * PATH with the client tools (pg_dump, psql) of the server's own major version first: pg_dump refuses a
 * newer server, and the embedded server (17) ships none. Debian installs them per major version under
 * /usr/lib/postgresql/<major>/bin; without them, the message says what to do.
 */
export function pathWithClientTools(serverMajor: number): string {
  const bin = `/usr/lib/postgresql/${serverMajor}/bin`;
  if (!existsSync(path.join(bin, 'pg_dump')))
    throw new Error(
      `pg_dump ${serverMajor} is not installed (${bin}): install postgresql-client-${serverMajor}, or run the ` +
        'bench with BENCH_DATABASE_URL on a server whose client tools are installed',
    );
  return `${bin}:${process.env.PATH ?? ''}`;
}
