/**
 * Exports the delivery matrix or the carriers file as CSV, in the format `npm run import` reads back:
 *   npm run -s export -- --carrier UPS > ups.csv
 *   npm run -s export -- --carrier UPS --service GROUND --output ups-ground.csv
 *   npm run -s export -- --carriers --output carriers.csv
 * The same COPY as GET /exports/… (docs/EXPORTS.md). CSV on stdout (or --output, written under a temporary
 * name and renamed once complete); progress on stderr when it is a terminal, or with --progress.
 * Exit codes: 0 done, 1 the export failed (an unknown carrier or service, the database, the output),
 * 2 the command line is wrong.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { EntityManager } from '@mikro-orm/postgresql';
import { copyOut, type CopyOut } from '../data/exports/copy-out';
import { carriersFile, deliveryMatrixFile, resolveMatrixScope } from '../data/exports/export-files';
import { acquireRawClient } from '../platform/db/raw-client';
import { isConnectionError } from '../platform/errors/db-errors';
import { BadUserInputError } from '../platform/errors/errors';
import { withDatabases } from './with-databases';

const USAGE = `usage: npm run -s export -- [--carrier CODE [--service CODE]] [--output FILE] [--progress]
       npm run -s export -- --carriers [--output FILE] [--progress]
(-s keeps npm's own banner out of the CSV on stdout)`;

class UsageError extends Error {}

type CommandLine = ReturnType<typeof parseCommandLine>;

function parseCommandLine(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        carrier: { type: 'string' },
        service: { type: 'string' },
        carriers: { type: 'boolean', default: false },
        output: { type: 'string', short: 'o' },
        progress: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.carriers && (values.carrier !== undefined || values.service !== undefined)) {
    throw new UsageError('--carriers exports every carrier service: it takes no --carrier or --service.');
  }
  if (values.service !== undefined && values.carrier === undefined) {
    throw new UsageError('--service needs --carrier: a service code names a service of one carrier.');
  }
  return values;
}

/** Counts the lines going by and redraws a progress line on stderr, at most five times a second. */
function progressMeter(show: boolean) {
  const started = Date.now();
  const tty = Boolean(process.stderr.isTTY);
  let lines = 0;
  let drawn = 0;
  const draw = (rows: number, final: boolean) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = Math.round(rows / seconds).toLocaleString('en-US');
    const text = `${rows.toLocaleString('en-US')} rows  ${rate} rows/s  ${seconds.toFixed(1)}s`;
    process.stderr.write(tty ? `\r${text}${final ? '\n' : ''}` : `${text}\n`);
  };
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
      if (show && Date.now() - drawn >= (tty ? 200 : 1000)) {
        drawn = Date.now();
        draw(Math.max(lines - 1, 0), false);
      }
      done(null, chunk);
    },
  });
  return { counter, finish: (rows: number) => show && draw(rows, true) };
}

async function main(): Promise<void> {
  const args = parseCommandLine(process.argv.slice(2));
  // Complete or absent: the file appears under its name only once the last row is in it.
  const partial = args.output
    ? path.join(path.dirname(args.output), `.${path.basename(args.output)}.${randomBytes(4).toString('hex')}`)
    : null;
  const discard = () => partial && rmSync(partial, { force: true });
  process.once('SIGINT', () => {
    discard();
    process.exit(130);
  });
  await withDatabases(async ({ dbs }) => {
    try {
      await exportCsv(dbs.fork('data'), args, partial);
    } catch (err) {
      discard();
      if (!isConnectionError(err)) throw err;
      // Everything here reads the data database; the server's words are for the operator at the terminal.
      throw new Error(`The data database cannot be reached: ${(err as Error).message}`);
    }
  });
}

async function exportCsv(em: EntityManager, args: CommandLine, partial: string | null): Promise<void> {
  const file = args.carriers
    ? carriersFile()
    : deliveryMatrixFile(await resolveMatrixScope(em, args.carrier, args.service));
  const raw = await acquireRawClient(em);
  let copy: CopyOut | null = null;
  try {
    copy = await copyOut(raw.client, file.select, file.lockFirst);
    const out: Writable = partial ? createWriteStream(partial, { flags: 'wx' }) : process.stdout;
    const meter = progressMeter(args.progress || Boolean(process.stderr.isTTY));
    await pipeline(copy.stream, meter.counter, out);
    const rows = await copy.rows;
    if (partial) renameSync(partial, args.output!);
    meter.finish(rows);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') {
      throw new Error('stdout closed before the export finished.');
    }
    throw err;
  } finally {
    await raw.release(!copy?.settled);
  }
}

main().catch((err: unknown) => {
  const usage = err instanceof UsageError || err instanceof BadUserInputError;
  console.error(err instanceof Error ? err.message : String(err));
  if (usage) console.error(USAGE);
  process.exit(usage ? 2 : 1);
});
