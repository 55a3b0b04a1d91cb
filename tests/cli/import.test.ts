import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signInAs } from '../support/auth';
import { importCsv, matrixCsv } from '../support/imports';
import { adminQuery } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

function runCli(
  t: TestApp,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/cli/import.ts', ...args], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        SPLIT_DB_MODE: 'true',
        PRIMARY_DATABASE_URL: t.dbs.urls.primary,
        DATA_DATABASE_URL: t.dbs.urls.data,
        IMPORT_PROGRESS_EVERY: '500',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Never leave a child behind: a hung CLI would hold its database connections past the test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run import and the upload size limit', () => {
  let t: TestApp;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
  beforeAll(async () => {
    t = await startTestApp('split', { IMPORT_MAX_FILE_MB: '1' });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('imports from the command line with a progress line, and records a run with no user', async () => {
    const carriers = path.join(dir, 'carriers.csv');
    writeFileSync(carriers, 'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\n');
    expect((await runCli(t, ['--kind', 'carriers', carriers])).code).toBe(0);
    const file = path.join(dir, 'matrix.csv');
    writeFileSync(file, matrixCsv(5_000, [['UPS', 'GROUND']]));
    const run = await runCli(t, ['--kind', 'delivery-matrix', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/SUCCEEDED, 5000 rows, 5000 imported/);
    expect(run.stderr).toMatch(/100%\s+5,000 rows {2}[\d,]+ rows\/s {2}\d+\.\ds\n/);
    expect(run.stderr).toMatch(/^SUCCEEDED: 5,000 rows, 5,000 imported, 0 rejected$/m);
    const runs = await adminQuery(
      `select status, started_by_user_id from core.integration_run where kind = 'DELIVERY_MATRIX'`,
      [],
      t.dbs.names[0],
    );
    expect(runs).toEqual([{ status: 'SUCCEEDED', started_by_user_id: null }]);
  });

  it('exits 1 and prints the first errors when the file is rejected; usage errors are explained', async () => {
    const file = path.join(dir, 'bad.csv');
    writeFileSync(
      file,
      'carrier_code,service_code,origin_zip3,destination_zip3,transit_days\nUPS,GROUND,1,200,3\n',
    );
    const run = await runCli(t, ['--kind', 'delivery-matrix', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/row 2, origin_zip3: must be three digits/);
    const usage = await runCli(t, ['--kind', 'nonsense', file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/usage: npm run import -- --kind <carriers\|delivery-matrix> FILE.csv/);
  });

  it('--preview prints what the file would change and changes nothing; --apply applies it, once', async () => {
    const matrix = () =>
      adminQuery<{ n: string; days: string }>(
        'select count(*) as n, sum(transit_days) as days from data.delivery_matrix_entry',
        [],
        t.dbs.names[1],
      );
    const before = await matrix();
    const file = path.join(dir, 'matrix-next.csv');
    // The same 5,000 lanes as the first test, every third one a day faster (those that can be).
    const faster = (i: number) => i % 3 === 0 && i % 31 > 0;
    const changed = Array.from({ length: 5_000 }, (_, i) => i).filter(faster).length;
    writeFileSync(
      file,
      matrixCsv(5_000, [['UPS', 'GROUND']], (i) => (i % 31) - (faster(i) ? 1 : 0)),
    );
    const preview = await runCli(t, ['--kind', 'delivery-matrix', '--preview', file]);
    expect(preview.code).toBe(0);
    expect(preview.stderr).toMatch(/^PREVIEWED: 5,000 rows, 0 imported, 0 rejected$/m);
    expect(preview.stdout).toMatch(
      `UPS GROUND: 5,000 lanes now, 5,000 after\n    added: 0\n    removed: 0\n    changed: ${changed.toLocaleString('en-US')}\n`,
    );
    // The first changed lane by origin then destination: row 3 of the file (i = 3), 3 days, now 2.
    expect(preview.stdout).toMatch(/ {6}000 -> 003: 3 -> 2 days\n/);
    expect(await matrix()).toEqual(before);
    const id = /apply within 24 h with: npm run import -- --apply ([0-9a-f-]{36})/.exec(preview.stdout)![1]!;

    const apply = await runCli(t, ['--apply', id]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(`import ${id}: SUCCEEDED, 5000 rows applied`);
    expect(apply.stderr).toMatch(/^applied 5,000 rows in \d+\.\ds$/m);
    const after = await matrix();
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(Number(after[0]!.days)).toBe(Number(before[0]!.days) - changed);
    const again = await runCli(t, ['--apply', id]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/not applied \(APPLIED\): This preview has already been applied/);
    const usage = await runCli(t, ['--kind', 'carriers', '--preview', file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--preview is for a delivery matrix/);
  });

  it('fails an upload larger than IMPORT_MAX_FILE_MB, leaving the matrix unchanged', async () => {
    const operator = await signInAs(t, ['operator']);
    const before = await adminQuery(
      'select count(*) as n from data.delivery_matrix_entry',
      [],
      t.dbs.names[1],
    );
    const imp = await importCsv(t, 'importDeliveryMatrix', matrixCsv(60_000, [['UPS', 'GROUND']]), operator);
    expect(imp.status).toBe('FAILED');
    expect(imp.errors.map((e) => e.message).join('\n')).toMatch(/exceeds the maximum upload size/);
    expect(
      await adminQuery('select count(*) as n from data.delivery_matrix_entry', [], t.dbs.names[1]),
    ).toEqual(before);
  });
});
