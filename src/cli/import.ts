/**
 * Imports a CSV file from the command line, through the same pipeline as the GraphQL upload:
 *   npm run import -- --kind delivery-matrix matrix.csv
 *   npm run import -- --kind carriers carriers.csv
 * Progress goes to stderr; the exit code is 0 when the import succeeded, 1 when it failed.
 */
import 'reflect-metadata';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { ImportError } from '../data/imports/import-error.entity';
import { runCommand, withDatabases } from './with-databases';
import { ImportRunner } from '../stitching/imports/import-runner';
import { ImportKind } from '../shared/imports/run-status';
import { createLogger } from '../platform/logger';

const KINDS: Record<string, ImportKind> = {
  carriers: ImportKind.CARRIERS,
  'delivery-matrix': ImportKind.DELIVERY_MATRIX,
};
const USAGE = 'usage: npm run import -- --kind <carriers|delivery-matrix> FILE.csv';

function parseArgs(argv: string[]): { kind: ImportKind; file: string } {
  const at = argv.indexOf('--kind');
  const kind = at >= 0 ? KINDS[argv[at + 1] ?? ''] : undefined;
  const file = argv.filter((_, i) => i !== at && i !== at + 1)[0];
  if (!kind || !file) throw new Error(USAGE);
  return { kind, file };
}

/** A hand-rolled progress line: rewritten in place with \r, so it needs no dependency. */
function progressBar(totalBytes: number) {
  const started = Date.now();
  let drawn = 0;
  return (rows: number, bytes: number) => {
    // Redrawn at most five times a second; the final call (bytes = NaN) always draws.
    if (!Number.isNaN(bytes) && Date.now() - drawn < 200) return;
    drawn = Date.now();
    const share = Number.isNaN(bytes) ? 1 : Math.min(1, bytes / Math.max(totalBytes, 1));
    const width = 30;
    const done = Math.round(share * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(
      `\r[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${(share * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString('en-US')} rows  ${seconds}s`,
    );
  };
}

async function main(): Promise<void> {
  const { kind, file } = parseArgs(process.argv.slice(2));
  const size = statSync(file).size;
  await withDatabases(async ({ dbs, config }) => {
    const runner = new ImportRunner(dbs, createLogger('warn'), config.importProgressEvery);
    const { imp, done } = await runner.start(
      kind,
      path.basename(file),
      createReadStream(file),
      null,
      progressBar(size),
    );
    const outcome = await done;
    process.stderr.write(' done\n');
    console.log(
      `import ${imp.id} (run ${imp.integrationRunId}): ${outcome.status}, ` +
        `${outcome.rowsTotal} rows, ${outcome.rowsImported} imported, ${outcome.rowsRejected} rejected`,
    );
    if (outcome.errorSummary) {
      console.log(outcome.errorSummary);
      const em = dbs.fork('data');
      const errors = await em.find(
        ImportError,
        { import: imp.id },
        { orderBy: { ordinal: 'asc' }, limit: 20 },
      );
      for (const e of errors) console.log(`  row ${e.rowNumber}, ${e.column}: ${e.message}`);
    }
    process.exitCode = outcome.status === 'SUCCEEDED' ? 0 : 1;
  });
}

runCommand(main);
