import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../../src/platform/paths';
import { createTestDatabases, type TestDatabases } from '../support/test-db';
import { createExtraTables, migrate, seedSource, withClient } from './data-move.fixtures';

interface CliRun {
  kill(): void;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The command line exactly as `npm run db:split -- ...` runs it. */
function cli(args: string[]): CliRun {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/cli/db-split.ts', ...args], {
    cwd: projectRoot,
    env: process.env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return {
    kill: () => child.kill('SIGKILL'),
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

const SERVICES = 20_000;

describe('npm run db:split', () => {
  let single: TestDatabases;
  let target: TestDatabases;
  let args: string[];
  const reports = mkdtempSync(path.join(os.tmpdir(), 'data-move-reports-'));

  beforeAll(async () => {
    single = await createTestDatabases('single');
    target = await createTestDatabases('split');
    for (const url of [single.urls.primary, target.urls.primary, target.urls.data])
      await createExtraTables(url);
    await migrate(single.urls);
    await seedSource(single.urls.primary, SERVICES);
    args = ['--from', single.urls.primary, '--primary', target.urls.primary, '--data', target.urls.data];
  });
  afterAll(async () => {
    await single.drop();
    await target.drop();
    rmSync(reports, { recursive: true, force: true });
  });

  it('refuses bad input with exit status 2 and says which flag is wrong', async () => {
    const [missing, invalid] = await Promise.all([
      cli(['--from', single.urls.primary, '--data', target.urls.data]).done,
      cli([...args.slice(0, 2), '--primary', 'mysql://h/db', ...args.slice(4)]).done,
    ]);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('missing --primary: the URL of the new, empty primary database');
    expect(invalid).toMatchObject({ code: 2 });
    expect(invalid.stderr).toContain('--primary: "mysql://h/db" must start with postgres://');
  });

  it('loads MikroORM only to migrate the targets, so --verify-only and --dry-run start quicker', async () => {
    const probe = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        '-e',
        `require('./src/operations/data-move/move-cli');
         process.stdout.write(String(Object.keys(require.cache).some((f) => f.includes('@mikro-orm'))))`,
      ],
      { cwd: projectRoot, env: process.env },
    );
    let stdout = '';
    probe.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    await new Promise((resolve) => probe.on('close', resolve));
    expect(stdout).toBe('false');
  });

  it('--dry-run prints the plan and changes nothing', async () => {
    const run = await cli([...args, '--dry-run']).done;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/data\.carrier_service\s+20,000 rows/);
    expect(run.stdout).toContain('target: empty');
    await withClient(target.urls.primary, async (c) => {
      const { rows } = await c.query(`select count(*)::int as n from pg_namespace where nspname = 'core'`);
      expect(rows[0].n).toBe(0);
    });
  });

  it('a run killed in the middle of a long table resumes and validates', async () => {
    const run = cli([...args, '--batch-size', '200', '--report', path.join(reports, 'killed.json')]);
    // Hold the progress row of the long table once some of it is in: the run blocks in the middle of a
    // batch, and is killed there, uncommitted batch and all.
    const lock = new Client({ connectionString: target.urls.data });
    await lock.connect();
    let copiedBeforeKill = 0;
    for (;;) {
      await lock.query('begin');
      const row = await lock
        .query(
          `select rows_copied::int as n, done from data.data_move_progress where table_name = 'carrier_service' for update`,
        )
        .then(
          (r) => r.rows[0] as { n: number; done: boolean } | undefined,
          () => undefined,
        );
      if (row && row.n > 0 && !row.done) {
        copiedBeforeKill = row.n;
        break;
      }
      await lock.query('rollback');
      await new Promise((r) => setTimeout(r, 5));
    }
    run.kill();
    const killed = await run.done;
    await lock.query('rollback');
    await lock.end();
    expect(killed.code).toBeNull();
    expect(copiedBeforeKill).toBeLessThan(SERVICES);

    const report = path.join(reports, 'resumed.json');
    const resumed = await cli([...args, '--resume', '--report', report]).done;
    expect(resumed.stdout).toMatch(/OK: all \d+ tables match/);
    expect(resumed.code).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json).toMatchObject({ command: 'split', action: 'move', ok: true, resumed: true });
    const services = json.moves[1].tables.find((t: { table: string }) => t.table === 'data.carrier_service');
    expect(services).toMatchObject({ sourceRows: SERVICES, targetRows: SERVICES, match: true });
    // The killed run's committed batches stayed; the resume copied the rest, the torn batch included.
    expect(services.copiedRows).toBeLessThanOrEqual(SERVICES - copiedBeforeKill);
  });

  it('--verify-only exits 1 and names the table when a target row was changed', async () => {
    await withClient(target.urls.primary, (c) =>
      c.query(`update core."user" set name = 'Mallory' where email = 'user7@example.com'`),
    );
    const run = await cli([...args, '--verify-only', '--report', path.join(reports, 'verify.json')]).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/core\.user\s+25\s+25\s+MISMATCH/);
    expect(run.stdout).toMatch(/FAILED: 1 of \d+ tables differ \(core\.user\)/);
  });
});
