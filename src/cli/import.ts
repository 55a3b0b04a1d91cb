/**
 * Imports a CSV file from the command line, through the same pipeline as the GraphQL upload:
 *   npm run import -- --kind delivery-matrix matrix.csv
 *   npm run import -- --kind carriers carriers.csv
 *   npm run import -- --kind delivery-matrix --preview matrix.csv   (stage it, print what it would change)
 *   npm run import -- --apply <importId>                             (apply that preview)
 * Progress goes to stderr (rows, rate, elapsed; then the final counts); the result to stdout. Exit codes:
 * 0 the import succeeded (or the preview was made), 1 it failed or was refused, 2 the command line is wrong.
 */
import 'reflect-metadata';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ImportError } from '../data/imports/import-error.entity';
import { ImportMode } from '../data/imports/previews/import-mode';
import { laneChangesOf } from '../data/imports/previews/lane-changes.loader';
import type { LaneChangeSet, ServiceLaneChanges } from '../data/imports/previews/lane-changes.types';
import { AppError } from '../platform/errors/errors';
import { runCommand, withDatabases } from './with-databases';
import { ImportRunner } from '../stitching/imports/import-runner';
import { ImportKind, RunStatus } from '../shared/imports/run-status';
import { createLogger } from '../platform/logger';

const KINDS: Record<string, ImportKind> = {
  carriers: ImportKind.CARRIERS,
  'delivery-matrix': ImportKind.DELIVERY_MATRIX,
};
const USAGE = `usage: npm run import -- --kind <carriers|delivery-matrix> FILE.csv
       npm run import -- --kind delivery-matrix --preview FILE.csv
       npm run import -- --apply IMPORT_ID`;

class UsageError extends Error {}

type Command =
  | { action: 'import'; kind: ImportKind; file: string; mode: ImportMode }
  | { action: 'apply'; importId: string };

function parseCommandLine(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        preview: { type: 'boolean', default: false },
        apply: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.apply !== undefined) {
    if (values.kind !== undefined || values.preview || positionals.length) {
      throw new UsageError('--apply takes an import id alone: the file is the one its preview staged.');
    }
    return { action: 'apply', importId: values.apply };
  }
  const kind = KINDS[values.kind ?? ''];
  if (!kind || positionals.length !== 1) throw new UsageError('give --kind and one FILE.csv.');
  if (values.preview && kind !== ImportKind.DELIVERY_MATRIX) {
    throw new UsageError('--preview is for a delivery matrix: a carriers file only adds and renames.');
  }
  return {
    action: 'import',
    kind,
    file: positionals[0]!,
    mode: values.preview ? ImportMode.PREVIEW : ImportMode.APPLY,
  };
}

const n = (value: number) => value.toLocaleString('en-US');

/**
 * A progress line on stderr: share of the file read, rows so far, rows per second, elapsed time. Rewritten
 * in place (\r) on a terminal at most five times a second; elsewhere (a log, CI) one line a second.
 */
function progressBar(totalBytes: number) {
  const started = Date.now();
  const tty = Boolean(process.stderr.isTTY);
  let drawn = 0;
  return (rows: number, bytes: number) => {
    // The final call (bytes = NaN) always draws.
    const final = Number.isNaN(bytes);
    if (!final && Date.now() - drawn < (tty ? 200 : 1000)) return;
    drawn = Date.now();
    const share = final ? 1 : Math.min(1, bytes / Math.max(totalBytes, 1));
    const width = 30;
    const done = Math.round(share * width);
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const line =
      `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${(share * 100).toFixed(0).padStart(3)}%  ` +
      `${n(rows)} rows  ${n(Math.round(rows / seconds))} rows/s  ${seconds.toFixed(1)}s`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
  };
}

function describeSet(label: string, set: LaneChangeSet): string[] {
  const lines = [`    ${label}: ${n(set.count)}`];
  for (const e of set.examples) {
    const days = `${e.transitDaysBefore ?? '-'} -> ${e.transitDaysAfter ?? '-'} days`;
    lines.push(`      ${e.originZip3} -> ${e.destinationZip3}: ${days}`);
  }
  return lines;
}

/** The per-service summary of a preview, as a person reads it before applying. */
function describePreview(changes: ServiceLaneChanges[]): string {
  return changes
    .flatMap((c) => [
      `  ${c.carrierCode} ${c.serviceCode}: ${n(c.lanesBefore)} lanes now, ${n(c.lanesAfter)} after`,
      ...describeSet('added', c.added),
      ...describeSet('removed', c.removed),
      ...describeSet('changed', c.changed),
    ])
    .join('\n');
}

async function runImport(command: Extract<Command, { action: 'import' }>): Promise<void> {
  const { kind, file, mode } = command;
  const size = statSync(file).size;
  await withDatabases(async ({ dbs, config }) => {
    const runner = new ImportRunner(
      dbs,
      createLogger('warn'),
      config.importProgressEvery,
      undefined,
      {},
      config.importPreviewTtlHours,
    );
    const draw = progressBar(size);
    const { imp, done } = await runner.start(
      kind,
      path.basename(file),
      createReadStream(file),
      null,
      draw,
      mode,
    );
    const outcome = await done;
    if (process.stderr.isTTY) process.stderr.write('\n');
    process.stderr.write(
      `${outcome.status}: ${n(outcome.rowsTotal)} rows, ${n(outcome.rowsImported)} imported, ` +
        `${n(outcome.rowsRejected)} rejected\n`,
    );
    console.log(
      `import ${imp.id} (run ${imp.integrationRunId}): ${outcome.status}, ` +
        `${outcome.rowsTotal} rows, ${outcome.rowsImported} imported, ${outcome.rowsRejected} rejected`,
    );
    const em = dbs.fork('data');
    if (outcome.status === RunStatus.PREVIEWED) {
      const [changes] = await laneChangesOf(em, [imp.id]);
      console.log(describePreview(changes!));
      console.log(
        `nothing is applied yet; apply within ${config.importPreviewTtlHours} h with: npm run import -- --apply ${imp.id}`,
      );
    }
    if (outcome.errorSummary) {
      console.log(outcome.errorSummary);
      const errors = await em.find(
        ImportError,
        { import: imp.id },
        { orderBy: { ordinal: 'asc' }, limit: 20 },
      );
      for (const e of errors) console.log(`  row ${e.rowNumber}, ${e.column}: ${e.message}`);
    }
    process.exitCode = outcome.status === RunStatus.FAILED ? 1 : 0;
  });
}

async function runApply(importId: string): Promise<void> {
  await withDatabases(async ({ dbs, config }) => {
    const runner = new ImportRunner(dbs, createLogger('warn'), config.importProgressEvery);
    const started = Date.now();
    try {
      const imp = await runner.apply(importId);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`applied ${n(imp.rowsImported)} rows in ${seconds}s\n`);
      console.log(`import ${imp.id}: ${imp.status}, ${imp.rowsImported} rows applied`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const { code, reason } = err.extensions as { code: string; reason?: string };
      console.log(`import ${importId} not applied (${reason ?? code}): ${err.message}`);
      process.exitCode = 1;
    }
  });
}

async function main(): Promise<void> {
  let command: Command;
  try {
    command = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (command.action === 'apply') await runApply(command.importId);
  else await runImport(command);
}

runCommand(main);
