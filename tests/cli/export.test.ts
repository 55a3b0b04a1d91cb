import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signInAs, type TestUser } from '../support/auth';
import { download } from '../support/exports';
import { importCsv, matrixCsv } from '../support/imports';
import { startTestApp, type TestApp } from '../support/test-app';

const CARRIERS = `carrier_code,carrier_name,service_code,service_name
UPS,United Parcel Service,GROUND,UPS Ground
UPS,United Parcel Service,NDA,UPS Next Day Air
FEDEX,"FedEx, Inc.",GROUND,FedEx Ground
`;

function runExport(
  t: TestApp,
  args: string[],
  env: Record<string, string> = {},
  { closeStdoutAfterFirstChunk = false } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/cli/export.ts', ...args], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        SPLIT_DB_MODE: 'true',
        PRIMARY_DATABASE_URL: t.dbs.urls.primary,
        DATA_DATABASE_URL: t.dbs.urls.data,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (closeStdoutAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Never leave a child behind: a hung CLI would hold its database connections past the test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run export', () => {
  let t: TestApp;
  let operator: TestUser;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'export-cli-'));
  beforeAll(async () => {
    t = await startTestApp('split');
    operator = await signInAs(t, ['operator']);
    await importCsv(t, 'importCarriers', CARRIERS, operator);
    const services: Array<[string, string]> = [
      ['UPS', 'GROUND'],
      ['UPS', 'NDA'],
      ['FEDEX', 'GROUND'],
    ];
    expect((await importCsv(t, 'importDeliveryMatrix', matrixCsv(6_000, services), operator)).status).toBe(
      'SUCCEEDED',
    );
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('writes a carrier’s lanes to stdout, the same bytes as the HTTP download, and nothing on stderr', async () => {
    const run = await runExport(t, ['--carrier', 'UPS']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe((await download(t, '/exports/delivery-matrix.csv?carrier=UPS', operator)).text);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(4_001);
  });

  it('writes a service’s lanes to --output, with progress on stderr when asked', async () => {
    const file = path.join(dir, 'ups-ground.csv');
    const run = await runExport(t, [
      '--carrier',
      'ups',
      '--service',
      'ground',
      '--output',
      file,
      '--progress',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^2,000 rows {2}[\d,]+ rows\/s {2}\d+\.\ds\n$/m);
    expect(readFileSync(file, 'utf8')).toBe(
      (await download(t, '/exports/delivery-matrix.csv?carrier=UPS&service=GROUND', operator)).text,
    );
  });

  it('writes the carriers file with --carriers, and the whole matrix without a scope', async () => {
    const carriers = await runExport(t, ['--carriers']);
    expect(carriers.code).toBe(0);
    expect(carriers.stdout).toBe((await download(t, '/exports/carriers.csv', operator)).text);
    const matrix = await runExport(t, ['-o', path.join(dir, 'all.csv')]);
    expect(matrix.code).toBe(0);
    expect(readFileSync(path.join(dir, 'all.csv'), 'utf8')).toBe(
      (await download(t, '/exports/delivery-matrix.csv', operator)).text,
    );
  });

  it('exits 1 naming what does not exist, leaving no file behind', async () => {
    const file = path.join(dir, 'acme.csv');
    const unknown = await runExport(t, ['--carrier', 'ACME', '--output', file]);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/Carrier "ACME" does not exist/);
    const service = await runExport(t, ['--carrier', 'UPS', '--service', 'AIR']);
    expect(service.code).toBe(1);
    expect(service.stderr).toMatch(/"UPS AIR" does not exist/);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('exits 1 when the database cannot be reached, saying which', async () => {
    const run = await runExport(t, ['--carriers'], {
      DATA_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing',
      DB_CONNECT_TIMEOUT_MS: '1000',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^The data database cannot be reached: connect ECONNREFUSED/);
  });

  it('exits 1 when its reader closes stdout early (as `| head` does)', async () => {
    const run = await runExport(t, [], {}, { closeStdoutAfterFirstChunk: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/stdout closed before the export finished/);
  });

  it.each([
    [['--service', 'GROUND'], /--service needs --carrier/],
    [['--carriers', '--carrier', 'UPS'], /--carriers exports every carrier service/],
    [['--carrier', 'U P S'], /carrier: must be 1 to 20 letters/],
    [['--nonsense'], /Unknown option '--nonsense'/],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const run = await runExport(t, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/usage: npm run -s export --/);
  });
});
