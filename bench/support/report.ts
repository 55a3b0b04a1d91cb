import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import type { Check, Measurement, ScenarioResult } from './scenario';

const ROOT = path.join(__dirname, '..', '..');
/** The peers and the pieces of our stack whose versions a reader needs to compare figures. */
const PACKAGES = [
  'autocannon',
  'postgraphile',
  'pg',
  '@apollo/server',
  'express',
  'type-graphql',
  'graphql',
  '@mikro-orm/core',
];

export interface RunInfo {
  startedAt: string;
  command: string;
  quick: boolean;
  database: { kind: 'external' | 'embedded'; version: string };
  settings: Record<string, unknown>;
}

export interface RunRecord extends RunInfo {
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; os: string };
  versions: Record<string, string>;
  scenarios: ScenarioResult[];
}

function versionOf(pkg: string): string {
  const file = path.join(ROOT, 'node_modules', pkg, 'package.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : 'absent';
}

export function describeRun(info: RunInfo, scenarios: ScenarioResult[]): RunRecord {
  const cpus = os.cpus();
  return {
    ...info,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    versions: Object.fromEntries(PACKAGES.map((p) => [p, versionOf(p)])),
    scenarios,
  };
}

const n = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const ratio = (v: number) => (Math.abs(v) >= 100 ? n(v, 0) : Math.abs(v) >= 0.1 ? n(v, 2) : n(v, 4));

function measurementRow(scenario: string, m: Measurement): string {
  const cells = [
    scenario,
    cell(m.subject),
    n(m.rps),
    n(m.p50Ms),
    n(m.p99Ms),
    n(m.statementsPerRequest.primary, 3),
    n(m.statementsPerRequest.data, 3),
    m.timeouts ? `${m.errors} (${m.timeouts} timeouts)` : String(m.errors),
    n(m.peakRssBytes / 2 ** 20),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** A `|` inside a cell (as in "pg_dump | psql") would end the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

const checkRow = (scenario: string, c: Check) =>
  `| ${scenario} | ${cell(c.what)} | ${ratio(c.value)} | ${c.target} | ${c.target === '—' ? '' : c.met ? 'met' : '**missed**'} |`;

/** The figures section of docs/BENCHMARKS.md, rebuilt on every run; the hand-written sections are kept. */
export function renderFigures(run: RunRecord): string {
  const done = run.scenarios.filter((s) => s.status === 'done');
  const lines = [
    `Last run: ${run.startedAt}, \`${run.command}\` (${run.quick ? 'quick sizes' : 'full sizes'}), PostgreSQL ${run.database.version} (${run.database.kind}).`,
    '',
    `Machine: ${run.machine.cpus} CPUs (${run.machine.cpuModel}), ${run.machine.memoryGb} GB memory, Node ${run.machine.node}, ${run.machine.os}. The CPUs are shared with other work, so compare the ratios, not the absolute numbers.`,
    '',
    `Versions: ${Object.entries(run.versions)
      .map(([p, v]) => `${p} ${v}`)
      .join(', ')}.`,
    '',
    `Settings: ${Object.entries(run.settings)
      .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
      .join(', ')}.`,
    '',
    '| scenario | server | req/s | p50 ms | p99 ms | primary stmts/req | data stmts/req | errors | peak RSS MB |',
    '| --- | --- | --: | --: | --: | --: | --: | --: | --: |',
    ...done.flatMap((s) => s.measurements.map((m) => measurementRow(s.name, m))),
    '',
    '| scenario | ratio or figure | value | target | |',
    '| --- | --- | --: | --- | --- |',
    ...done.flatMap((s) => s.checks.map((c) => checkRow(s.name, c))),
    '',
    ...run.scenarios.flatMap((s) => [
      `**${s.title}** (\`${s.name}\`${s.status === 'pending' ? ', pending' : ''}). ${s.notes.join(' ')}`,
      '',
    ]),
  ];
  return lines.join('\n');
}

const BEGIN = '<!-- bench:figures:begin -->';
const END = '<!-- bench:figures:end -->';

/** Writes the JSON record and replaces the generated block of docs/BENCHMARKS.md, formatted like the repo. */
export async function writeReport(run: RunRecord, updateMarkdown: boolean): Promise<string[]> {
  const resultsDir = path.join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const json = path.join(
    resultsDir,
    `${run.startedAt.replace(/[:.]/g, '-')}${run.quick ? '-quick' : ''}.json`,
  );
  writeFileSync(json, `${JSON.stringify(run, null, 2)}\n`);
  const written = [path.relative(ROOT, json)];
  // The committed reference figures, one file per scenario, match docs/BENCHMARKS.md: only a run of every
  // scenario at full size replaces them.
  if (updateMarkdown && !run.quick) {
    for (const scenario of run.scenarios) {
      const file = path.join(resultsDir, `baseline-${scenario.name}.json`);
      writeFileSync(file, `${JSON.stringify({ ...run, scenarios: [scenario] }, null, 2)}\n`);
      written.push(path.relative(ROOT, file));
    }
  }

  if (!updateMarkdown) return written;
  const markdown = path.join(ROOT, 'docs', 'BENCHMARKS.md');
  const current = existsSync(markdown)
    ? readFileSync(markdown, 'utf8')
    : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  const [head, rest = ''] = current.split(BEGIN);
  const tail = rest.includes(END) ? rest.slice(rest.indexOf(END) + END.length) : '\n';
  const text = `${head}${BEGIN}\n\n${renderFigures(run)}\n${END}${tail}`;
  const options = (await prettier.resolveConfig(markdown)) ?? {};
  writeFileSync(markdown, await prettier.format(text, { ...options, filepath: markdown }));
  return [...written, path.relative(ROOT, markdown)];
}
