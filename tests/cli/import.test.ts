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
    expect(run.stderr).toMatch(/100%\s+5,000 rows/);
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
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/usage: npm run import -- --kind <carriers\|delivery-matrix> FILE.csv/);
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
