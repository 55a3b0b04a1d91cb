import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let cached: ServerUser | null | undefined;

/**
 * initdb, postgres and pgbouncer all refuse to run as root. As root (containers, CI) they run as this
 * OS user (TOPOLOGY_OS_USER, default `postgres`, which Debian's postgresql-common creates); as any
 * other user they simply run as us, and null is returned.
 */
export function serverUser(): ServerUser | null {
  if (cached !== undefined) return cached;
  if (process.getuid?.() !== 0) return (cached = null);
  const name = process.env.TOPOLOGY_OS_USER ?? 'postgres';
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  cached = { name, uid: id('-u'), gid: id('-g') };
  return cached;
}

/** The argv that runs `cmd` as the server user: wrapped in `runuser` when we are root. */
export function asServerUser(cmd: string, args: string[]): [string, string[]] {
  const user = serverUser();
  return user ? ['runuser', ['-u', user.name, '--', cmd, ...args]] : [cmd, args];
}

/** Hands files to the server user: PostgreSQL insists its data dir and key file belong to it. */
export function giveToServerUser(...paths: string[]): void {
  const user = serverUser();
  for (const p of paths) if (user) chownSync(p, user.uid, user.gid);
}

/**
 * A fresh 0700 dir under the OS temp dir, owned by the server user. mkdtemp makes it 0700 for root, so
 * without the chown the postgres user could not enter it. Fails early, with a clear message, when a
 * parent of the dir (a custom TMPDIR, say) is not traversable by that user.
 */
export function makeServerTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  giveToServerUser(dir);
  const user = serverUser();
  if (user) {
    try {
      execFileSync('runuser', ['-u', user.name, '--', 'test', '-w', dir]);
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`OS user ${user.name} cannot write ${dir}: is every parent dir traversable (o+x)?`);
    }
  }
  return dir;
}

/** Runs a command to completion, collecting its output; never rejects on a non-zero exit. */
export function run(cmd: string, args: string[], cwd?: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // stdin ignored: pg_ctl's postmaster must not inherit a pipe that would keep 'close' from firing.
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const result: RunResult = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (result.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (result.stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ ...result, code }));
  });
}

/** Like run(), as the server user, and rejects with the command's output on a non-zero exit. */
export async function runAsServerUser(cmd: string, args: string[], cwd: string): Promise<RunResult> {
  const [c, a] = asServerUser(cmd, args);
  const result = await run(c, a, cwd);
  if (result.code !== 0) {
    const out = `${result.stdout}\n${result.stderr}`.trim().slice(-2000);
    throw new Error(`${path.basename(cmd)} exited ${result.code}:\n${out}`);
  }
  return result;
}
