import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareSchemas, coordinateOf, runSchemaCheck } from '../../src/cli/schema-check';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', `${name}.graphql`), 'utf8');
const BASE = fixture('base');
const REMOVAL = fixture('removal');
const DESCRIPTIONS = fixture('description-only');

describe('schema:check on SDL pairs', () => {
  it('fails a breaking removal that the changelog does not name', async () => {
    const result = await compareSchemas(BASE, REMOVAL, '');
    expect(result.unlisted.map(coordinateOf)).toEqual(['Query.carrier']);
  });

  it('passes the same removal when the added changelog lines name it', async () => {
    const result = await compareSchemas(BASE, REMOVAL, '+Breaking:\n+- `Query.carrier`: use `carriers`.');
    expect(result.breaking.map(coordinateOf)).toEqual(['Query.carrier']);
    expect(result.unlisted).toEqual([]);
  });

  it('needs the exact coordinate in backticks, not a longer one that contains it', async () => {
    const result = await compareSchemas(BASE, REMOVAL, '- `Query.carriers` and Query.carrier');
    expect(result.unlisted.map(coordinateOf)).toEqual(['Query.carrier']);
  });

  it('passes a change of descriptions only, with nothing breaking or dangerous', async () => {
    const result = await compareSchemas(BASE, DESCRIPTIONS, '');
    expect(result).toMatchObject({ breaking: [], dangerous: [], unlisted: [] });
    expect(result.safe).toBeGreaterThan(0);
  });

  it('reports a new enum value as dangerous without failing', async () => {
    const before = 'type Query { s: S }\nenum S { A }';
    const result = await compareSchemas(before, 'type Query { s: S }\nenum S { A B }', '');
    expect(result.dangerous.map(coordinateOf)).toEqual(['S.B']);
    expect(result.unlisted).toEqual([]);
  });
});

/** A throwaway repository: the check reads git history, so the wiring is tested on real commits. */
describe('schema:check against the previous commit', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const git = (cwd: string, ...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args],
      {
        cwd,
        stdio: 'pipe',
      },
    );
  const repo = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schema-check-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'schema'));
    git(dir, 'init', '--quiet');
    return dir;
  };
  const commit = (dir: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'schema', name), text);
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'change');
  };

  it('passes on a first commit, which has no parent to compare with', async () => {
    const dir = repo();
    commit(dir, { 'schema.graphql': BASE });
    expect((await runSchemaCheck(dir, 'HEAD~1')).code).toBe(0);
  });

  it('fails a commit that removes a field without naming it, and passes one that names it', async () => {
    const dir = repo();
    commit(dir, { 'schema.graphql': BASE, 'CHANGELOG.md': '# Schema changelog\n' });
    commit(dir, { 'schema.graphql': REMOVAL });
    const refused = await runSchemaCheck(dir, 'HEAD~1');
    expect(refused.code).toBe(1);
    expect(refused.lines.join('\n')).toContain('Query.carrier');

    commit(dir, { 'schema.graphql': BASE });
    commit(dir, {
      'schema.graphql': REMOVAL,
      'CHANGELOG.md': '# Schema changelog\n\n## Carrier by code removed\n\nBreaking: `Query.carrier`.\n',
    });
    expect((await runSchemaCheck(dir, 'HEAD~1')).code).toBe(0);
  });

  it('does not let an entry of an earlier commit allow a later removal', async () => {
    const dir = repo();
    commit(dir, { 'schema.graphql': BASE, 'CHANGELOG.md': 'Breaking: `Query.carrier` (long ago).\n' });
    commit(dir, { 'schema.graphql': REMOVAL });
    expect((await runSchemaCheck(dir, 'HEAD~1')).code).toBe(1);
  });

  it('fetches the parent into a shallow clone, and says so and passes when it cannot', async () => {
    const origin = repo();
    commit(origin, { 'schema.graphql': BASE });
    commit(origin, { 'schema.graphql': REMOVAL });
    const clone = mkdtempSync(path.join(os.tmpdir(), 'schema-check-clone-'));
    dirs.push(clone);
    git(clone, 'clone', '--quiet', '--depth=1', `file://${origin}`, '.');
    expect((await runSchemaCheck(clone, 'HEAD~1')).code).toBe(1);

    const offline = mkdtempSync(path.join(os.tmpdir(), 'schema-check-offline-'));
    dirs.push(offline);
    git(offline, 'clone', '--quiet', '--depth=1', `file://${origin}`, '.');
    git(offline, 'remote', 'remove', 'origin');
    const skipped = await runSchemaCheck(offline, 'HEAD~1');
    expect(skipped).toEqual({ code: 0, lines: [expect.stringContaining('shallow clone')] });
  });
});
