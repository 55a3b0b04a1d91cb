import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, 'layers-fixture');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs the project's layer rules (the config `npm run lint` uses) over a fixture tree that breaks each one. */
async function cruiseFixture(): Promise<Violation[]> {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
  const config = path.join(ROOT, '.dependency-cruiser.cjs');
  const run = promisify(execFile)(bin, ['src', '--config', config, '--output-type', 'json'], {
    cwd: FIXTURE,
  });
  // depcruise exits non-zero when it finds violations; its JSON report is on stdout either way.
  const { stdout } = await run.catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('layer rules (npm run lint)', () => {
  let found: string[];
  beforeAll(async () => {
    found = (await cruiseFixture()).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
  }, 60_000);

  it.each([
    ['platform-imports-nothing-of-the-product', 'src/platform/config.ts', 'src/shared/vocabulary.ts'],
    ['shared-imports-only-platform', 'src/shared/vocabulary.ts', 'src/primary/users.ts'],
    ['primary-imports-only-platform-and-shared', 'src/primary/users.ts', 'src/data/carriers.ts'],
    ['data-imports-only-platform-and-shared', 'src/data/carriers.ts', 'src/primary/users.ts'],
    ['stitching-imports-domains-not-the-api', 'src/stitching/imports.ts', 'src/graphql/context.ts'],
    ['db-wiring-below-the-api', 'src/db/databases.ts', 'src/http/health.ts'],
    ['api-does-not-import-the-commands', 'src/graphql/context.ts', 'src/cli/import.ts'],
    ['api-does-not-import-the-commands', 'src/http/health.ts', 'src/app.ts'],
    ['commands-do-not-import-the-graphql-layer', 'src/cli/import.ts', 'src/graphql/context.ts'],
  ])('%s rejects %s -> %s', (rule, from, to) => {
    expect(found).toContain(`${rule}: ${from} -> ${to}`);
  });

  it('flags nothing else: stitching may import both domains, commands may import stitching', () => {
    expect(found).toHaveLength(9);
  });
});
