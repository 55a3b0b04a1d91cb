/**
 * `npm run schema:check [-- --base <rev>]`: compares schema/schema.graphql in the working tree with the same
 * file at <rev> (default HEAD~1: CI runs on a fresh clone of main, where HEAD is the commit under test), prints
 * every breaking and dangerous change by coordinate, and fails on a breaking change that no line added to
 * schema/CHANGELOG.md since <rev> names in backticks. Before committing, `-- --base HEAD` checks the edit alone.
 * Only the committed SDL is read (never the code): the schema test already holds the file to the code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';

const SCHEMA = 'schema/schema.graphql';
const CHANGELOG = 'schema/CHANGELOG.md';

export interface SchemaCheckResult {
  breaking: Change[];
  dangerous: Change[];
  safe: number;
  /** Breaking changes the changelog lines added since the base do not name. */
  unlisted: Change[];
}

/** How a change is named: graphql-inspector's path (`Query.carrier`, `RunStatus.PENDING`, `Query.carrier.code`). */
export const coordinateOf = (change: Change): string => change.path ?? change.type;

/** The spellings a changelog may use: the path, and for an argument also the schema coordinate `Query.carrier(code:)`. */
function spellings(change: Change): string[] {
  const coordinate = coordinateOf(change);
  const parts = coordinate.split('.');
  const isArgument = String(change.type).startsWith('FIELD_ARGUMENT_') && parts.length === 3;
  return isArgument ? [coordinate, `${parts[0]}.${parts[1]}(${parts[2]}:)`] : [coordinate];
}

/** Compares two SDL texts; `addedChangelog` is the text of the changelog lines added in this change. */
export async function compareSchemas(
  previousSdl: string,
  currentSdl: string,
  addedChangelog: string,
): Promise<SchemaCheckResult> {
  const changes = await diff(buildSchema(previousSdl), buildSchema(currentSdl));
  const at = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  const breaking = at(CriticalityLevel.Breaking);
  const named = (c: Change) => spellings(c).some((s) => addedChangelog.includes(`\`${s}\``));
  return {
    breaking,
    dangerous: at(CriticalityLevel.Dangerous),
    safe: at(CriticalityLevel.NonBreaking).length,
    unlisted: breaking.filter((c) => !named(c)),
  };
}

const git = (cwd: string, args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const tryGit = (cwd: string, args: string[]): string | null => {
  try {
    return git(cwd, args);
  } catch {
    return null;
  }
};
const resolves = (cwd: string, rev: string) =>
  tryGit(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);

/**
 * The base commit, or why there is none. A shallow clone (CI checkouts of depth 1) is deepened by one commit
 * first; when even that fails the check says so and passes, since failing would block every commit for a
 * reason no commit can fix (docs/CLIENTS.md, "Schema changes").
 */
function findBase(cwd: string, rev: string): { sha: string } | { skip: string } {
  const sha = resolves(cwd, rev);
  if (sha) return { sha: sha.trim() };
  if (tryGit(cwd, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true') {
    tryGit(cwd, ['fetch', '--quiet', '--deepen=1']);
    const deepened = resolves(cwd, rev);
    if (deepened) return { sha: deepened.trim() };
    return {
      skip: `${rev} is not in this shallow clone and could not be fetched: clone with depth 2 or more`,
    };
  }
  if (rev === 'HEAD~1' && resolves(cwd, 'HEAD')) return { skip: 'HEAD has no parent: nothing to compare' };
  throw new Error(`${rev} is not a commit of the repository at ${cwd}`);
}

/** Runs the check in the repository at `cwd`; returns the report and the exit code. */
export async function runSchemaCheck(cwd: string, rev: string): Promise<{ code: number; lines: string[] }> {
  const base = findBase(cwd, rev);
  if ('skip' in base) return { code: 0, lines: [`schema:check skipped: ${base.skip}.`] };
  const previous = tryGit(cwd, ['show', `${base.sha}:${SCHEMA}`]);
  if (previous === null)
    return { code: 0, lines: [`schema:check: ${rev} has no ${SCHEMA}; everything is new.`] };
  const changelogAtBase = tryGit(cwd, ['show', `${base.sha}:${CHANGELOG}`]);
  const changelogNow = existsSync(path.join(cwd, CHANGELOG))
    ? readFileSync(path.join(cwd, CHANGELOG), 'utf8')
    : '';
  // Only lines added since the base count: an entry written for an earlier change allows nothing new.
  const added =
    changelogAtBase === null
      ? changelogNow
      : git(cwd, ['diff', '--unified=0', base.sha, '--', CHANGELOG])
          .split('\n')
          .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
          .join('\n');
  const result = await compareSchemas(previous, readFileSync(path.join(cwd, SCHEMA), 'utf8'), added);
  const lines = [`schema:check: ${SCHEMA} against ${rev} (${base.sha.slice(0, 12)})`];
  const list = (title: string, changes: Change[], note: (c: Change) => string) => {
    if (changes.length) lines.push(`${title} (${changes.length}):`);
    for (const c of changes) lines.push(`  ${coordinateOf(c)}: ${c.message}${note(c)}`);
  };
  list('breaking', result.breaking, (c) =>
    result.unlisted.includes(c) ? ` [NOT in ${CHANGELOG}]` : ` [named in ${CHANGELOG}]`,
  );
  list('dangerous', result.dangerous, () => '');
  lines.push(`${result.safe} safe change(s).`);
  if (!result.unlisted.length) return { code: 0, lines };
  lines.push(
    `FAIL: ${result.unlisted.length} breaking change(s) not named in ${CHANGELOG}. Add a section naming each ` +
      `coordinate in backticks (e.g. \`${coordinateOf(result.unlisted[0]!)}\`) in the same commit.`,
  );
  return { code: 1, lines };
}

function main(): void {
  const at = process.argv.indexOf('--base');
  const rev = at >= 0 ? process.argv[at + 1] : 'HEAD~1';
  if (!rev) {
    console.error('schema:check: --base needs a revision, e.g. --base HEAD');
    process.exitCode = 2;
    return;
  }
  // npm runs scripts in the package root, which is the repository root here.
  runSchemaCheck(process.cwd(), rev)
    .then(({ code, lines }) => {
      for (const line of lines) console.log(line);
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      console.error(`schema:check: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    });
}

if (require.main === module) main();
