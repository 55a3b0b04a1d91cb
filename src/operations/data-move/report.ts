import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TableCheck } from './checksum';
import { formatCount, formatRows } from './progress-meter';
import type { SequenceReport } from './sequences';

export interface TableReport extends TableCheck {
  /** Rows this run copied; 0 for --verify-only and for tables an earlier run finished. */
  copiedRows: number;
}

export interface MoveJobReport {
  schema: string;
  /** Redacted URLs: the report is a file that gets passed around. */
  source: string;
  target: string;
  tables: TableReport[];
  sequences: SequenceReport[];
}

/** Where a run's time went, in milliseconds. */
export interface MovePhases {
  /** Connecting, planning and, for a move, claiming and migrating the targets. */
  prepareMs: number;
  /** Copying the rows and setting the sequences; 0 for --verify-only. */
  copyMs: number;
  /** Counting and checksumming every table on both sides. */
  checkMs: number;
}

export interface MoveReport {
  command: 'split' | 'merge';
  action: 'move' | 'verify-only';
  ok: boolean;
  resumed: boolean;
  /** Rows per copy batch and per checksum chunk. */
  batchSize: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  phases: MovePhases;
  moves: MoveJobReport[];
}

export function defaultReportPath(now = new Date()): string {
  return path.join('.data', `data-move-report-${now.toISOString().replace(/[:.]/g, '-')}.json`);
}

export async function writeReport(report: MoveReport, file: string): Promise<string> {
  const absolute = path.resolve(file);
  await mkdir(path.dirname(absolute), { recursive: true });
  await writeFile(absolute, `${JSON.stringify(report, null, 2)}\n`);
  return absolute;
}

const range = (m: NonNullable<TableCheck['firstMismatch']>) =>
  `keys ${m.after ? `after (${m.after.join(', ')})` : 'from the start'} ${m.upTo ? `up to (${m.upTo.join(', ')})` : 'to the end'}`;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

const describePhases = ({ action, phases }: MoveReport) =>
  (action === 'move' ? [`copy ${seconds(phases.copyMs)}`] : [])
    .concat(`check ${seconds(phases.checkMs)}`)
    .join(', ');

/** The per-table table printed on stdout, then the verdict. */
export function formatReport(report: MoveReport): string[] {
  const tables = report.moves.flatMap((m) => m.tables);
  const width = Math.max(5, ...tables.map((t) => t.table.length));
  const lines = [
    `${'table'.padEnd(width)}  ${'source rows'.padStart(12)}  ${'target rows'.padStart(12)}  checksum`,
  ];
  for (const t of tables) {
    const verdict = t.match
      ? `ok ${t.sourceChecksum.slice(0, 12)}`
      : `MISMATCH: ${t.firstMismatch!.sourceRows} source vs ${t.firstMismatch!.targetRows} target rows in ${range(t.firstMismatch!)}`;
    lines.push(
      `${t.table.padEnd(width)}  ${formatCount(t.sourceRows).padStart(12)}  ${formatCount(t.targetRows).padStart(12)}  ${verdict}`,
    );
  }
  const bad = tables.filter((t) => !t.match);
  const rows = tables.reduce((sum, t) => sum + t.sourceRows, 0);
  lines.push(
    bad.length
      ? `FAILED: ${bad.length} of ${tables.length} tables differ (${bad.map((t) => t.table).join(', ')})`
      : `OK: all ${tables.length} tables match (${formatRows(rows)}, count and checksum) in ${seconds(report.durationMs)} (${describePhases(report)})`,
  );
  return lines;
}
