import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerChild } from '../support/child';
import { expectOk } from '../support/load';
import { atMost, info, type Scenario } from '../support/scenario';
import { importFile, MATRIX_HEADER, PAIRS, upload, waitForImport, writeLines } from './import';

/**
 * Lane i of a matrix file, over the import scenario's services: `edit` = 0 is the base matrix; in the
 * edited file every tenth lane is a day slower (wrapping at 30), the rest as they are.
 */
const lane = (edit: 0 | 1) => (i: number) => {
  const [carrier, service] = PAIRS[i % PAIRS.length]!;
  const k = Math.floor(i / PAIRS.length);
  const origin = String(Math.floor(k / 1000)).padStart(3, '0');
  const destination = String(k % 1000).padStart(3, '0');
  const days = (i % 31) + (edit && i % 10 === 0 ? 1 : 0);
  return `${carrier},${service},${origin},${destination},${days % 31}`;
};

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Upload and poll until `until`; wall seconds from the first byte sent. */
async function timedUpload(
  gateway: ServerChild,
  token: string,
  file: string,
  args: string,
  until: string,
): Promise<{ id: string; seconds: number }> {
  const started = process.hrtime.bigint();
  const id = await upload(gateway, token, 'importDeliveryMatrix', file, args);
  // Once the file is read, rowsProcessed stands still while the rows are applied (or compared): on a
  // shared machine that can take longer than the import scenario's stall limit.
  await waitForImport(gateway, token, id, until, 10 * 60_000);
  return { id, seconds: seconds(started) };
}

/**
 * A PREVIEW of a 1,000,000-row matrix file against a direct import (APPLY) of the same file, one after the
 * other against the same matrix, on one fresh gateway process; then applyImport of a preview.
 */
export const importPreviewScenario: Scenario = {
  name: 'import-preview',
  title: 'Import preview: PREVIEW of a 1,000,000-row matrix file vs a direct import of it',
  async run(ctx) {
    const rows = ctx.quick ? 100_000 : 1_000_000;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-preview-'));
    const carriersFile = path.join(dir, 'carriers.csv');
    const baseFile = path.join(dir, 'matrix-base.csv');
    const editedFile = path.join(dir, 'matrix-edited.csv');
    const gateway = await ctx.startGateway('on');
    const data = ctx.dbs.orms.data.em.getConnection();
    const token = ctx.admin.token;
    try {
      await writeLines(
        carriersFile,
        'carrier_code,carrier_name,service_code,service_name',
        PAIRS.length,
        (i) => {
          const [carrier, service] = PAIRS[i]!;
          return `${carrier},Bench Carrier ${carrier},${service},${service} service`;
        },
      );
      await writeLines(baseFile, MATRIX_HEADER, rows, lane(0));
      await writeLines(editedFile, MATRIX_HEADER, rows, lane(1));
      await importFile(gateway, token, 'importCarriers', carriersFile, PAIRS.length);
      await timedUpload(gateway, token, baseFile, '', 'SUCCEEDED');

      // Both against the base matrix: the preview leaves it as it is, then the import replaces it.
      const preview = await timedUpload(gateway, token, editedFile, 'mode: PREVIEW', 'PREVIEWED');
      const [staged] = (await data.execute(
        `select pg_total_relation_size('data.import_preview_row')::bigint as bytes,
                (select sum(lanes_changed)::int from data.import_preview_service where import_id = ?) as changed`,
        [Buffer.from(preview.id, 'base64url').toString('utf8').split(':')[1]],
      )) as [{ bytes: string; changed: number }];
      const direct = await timedUpload(gateway, token, editedFile, '', 'SUCCEEDED');
      if (staged.changed !== rows / 10) {
        throw new Error(`the preview found ${staged.changed} changed lanes, expected ${rows / 10}`);
      }

      // The base file previewed against the edited matrix, then applied: what applyImport costs.
      const back = await timedUpload(gateway, token, baseFile, 'mode: PREVIEW', 'PREVIEWED');
      const applyStarted = process.hrtime.bigint();
      const applied = (await expectOk(gateway.url, {
        query:
          'mutation($input: ApplyImportInput!) { applyImport(input: $input) { import { rowsImported } } }',
        variables: { input: { id: back.id } },
        headers: { authorization: `Bearer ${token}` },
      })) as { applyImport: { import: { rowsImported: number } } };
      const applySeconds = seconds(applyStarted);
      if (applied.applyImport.import.rowsImported !== rows)
        throw new Error('applyImport applied the wrong count');

      const mb = (bytes: number) => bytes / (1024 * 1024);
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [],
        checks: [
          info('PREVIEW seconds (upload to PREVIEWED)', preview.seconds),
          info('direct import seconds (upload to SUCCEEDED)', direct.seconds),
          atMost('PREVIEW / direct import (time)', preview.seconds / direct.seconds, 1.5),
          info('applyImport seconds (the mutation, a staged file of the same size)', applySeconds),
          info('applyImport / direct import (time)', applySeconds / direct.seconds),
          info('staged rows on disk, MB (import_preview_row with its index)', mb(Number(staged.bytes))),
        ],
        notes: [
          `${rows.toLocaleString('en-US')} rows (${mb(statSync(editedFile).size).toFixed(1)} MB of CSV) over ${PAIRS.length} services; the edited file changes the transit days of every tenth lane (${(rows / 10).toLocaleString('en-US')} lanes changed, none added or removed).`,
          'Side by side on one fresh gateway process, both against the same base matrix: first `importDeliveryMatrix(mode: PREVIEW)` of the edited file (validate, stage into `import_preview_row`, FULL JOIN against the matrix for the per-service counts and examples), then `importDeliveryMatrix` (APPLY) of the same file (validate, replace the services’ lanes). Each time runs from the first byte uploaded to the poll that sees PREVIEWED or SUCCEEDED.',
          'applyImport: the base file previewed against the edited matrix, then applied; the time of the mutation alone (the staged rows replace the lanes in one transaction, no file to read).',
        ],
      };
    } finally {
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
