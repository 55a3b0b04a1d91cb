import { parseArgs } from 'node:util';
import { runDataMove, type MoveRequest } from './data-move.service';
import { DataMoveError } from './data-move.errors';
import type { MoveJob } from './move-session';
import { parsePostgresUrl } from './pg-session';
import { defaultReportPath, formatReport, writeReport } from './report';

/** What differs between db:split and db:merge: their URL flags and how those pair up into jobs. */
export interface MoveCommand {
  command: MoveRequest['command'];
  /** Flag name -> what the URL points at, for usage and error messages. */
  urls: Record<string, string>;
  jobs(urls: Record<string, string>): MoveJob[];
}

/**
 * Each batch costs a boundary lookup on the source and a commit on the target; at 100,000 rows that is
 * ~15% less source CPU than at 20,000, and a killed run still redoes well under a second of work.
 */
const DEFAULT_BATCH_SIZE = 100_000;

const usage = (cmd: MoveCommand) =>
  [
    `usage: npm run db:${cmd.command} -- ${Object.keys(cmd.urls)
      .map((f) => `--${f} URL`)
      .join(' ')} [--dry-run | --verify-only] [--resume] [--report FILE] [--batch-size N]`,
    ...Object.entries(cmd.urls).map(([flag, what]) => `  --${flag.padEnd(13)} ${what}`),
    '  --dry-run       print the plan (tables in order, row counts, target state) and change nothing',
    '  --verify-only   only compare source and target by row count and checksum, and report',
    '  --resume        continue an interrupted run into the same target (also: re-check a finished one)',
    '  --report FILE   where to write the JSON report (default .data/data-move-report-<timestamp>.json)',
    `  --batch-size N  rows per copy batch, and per checksum chunk when locating a difference (default ${DEFAULT_BATCH_SIZE})`,
    'exit status: 0 all tables match, 1 a table differs or the run failed, 2 refused (bad input, non-empty target)',
  ].join('\n');

function parse(cmd: MoveCommand, argv: string[], out: MoveRequest['out']) {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(cmd.urls).map((f) => [f, { type: 'string' as const }])),
      'dry-run': { type: 'boolean' },
      'verify-only': { type: 'boolean' },
      resume: { type: 'boolean' },
      report: { type: 'string' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  if (values['dry-run'] && values['verify-only'])
    throw new DataMoveError('--dry-run and --verify-only exclude each other');
  if (values.resume && values['verify-only'])
    throw new DataMoveError('--resume and --verify-only exclude each other');
  const batchSize = Number(values['batch-size'] ?? DEFAULT_BATCH_SIZE);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new DataMoveError('--batch-size must be a positive integer');
  const urls = Object.fromEntries(
    Object.entries(cmd.urls).map(([flag, what]) => [
      flag,
      parsePostgresUrl(flag, (values as Record<string, unknown>)[flag] as string | undefined, what),
    ]),
  );
  const request: MoveRequest = {
    command: cmd.command,
    jobs: cmd.jobs(urls),
    action: values['dry-run'] ? 'dry-run' : values['verify-only'] ? 'verify-only' : 'move',
    resume: Boolean(values.resume),
    batchSize,
    out,
  };
  return { request, reportFile: (values.report as string | undefined) ?? defaultReportPath() };
}

/** Runs one command line to its exit status; the plan and report go to stdout, progress and errors to stderr. */
export async function runMoveCli(cmd: MoveCommand, argv = process.argv.slice(2)): Promise<number> {
  const out = {
    info: (line: string) => process.stdout.write(`${line}\n`),
    progress: (line: string) => process.stderr.write(`${line}\n`),
  };
  try {
    const parsed = parse(cmd, argv, out);
    if (!parsed) {
      out.info(usage(cmd));
      return 0;
    }
    const report = await runDataMove(parsed.request);
    if (!report) return 0;
    for (const line of formatReport(report)) out.info(line);
    out.info(`report: ${await writeReport(report, parsed.reportFile)}`);
    return report.ok ? 0 : 1;
  } catch (err) {
    const known =
      err instanceof DataMoveError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!known) {
      out.progress(
        `db:${cmd.command} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      return 1;
    }
    out.progress(`db:${cmd.command}: ${(err as Error).message}`);
    if (!(err instanceof DataMoveError)) out.progress(usage(cmd));
    return 2;
  }
}
