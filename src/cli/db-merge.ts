/**
 * Split -> single: copies "core" from the primary database and "data" from the data database into one new
 * database, then checks every table. See docs/DATA_MOVE.md.
 *   npm run db:merge -- --primary URL --data URL --to URL [--dry-run | --verify-only] [--resume]
 *
 * This is the rollback after a split cut-over, and it loses nothing: it copies the split databases' whole
 * current content, not a replay of what the old single database missed, so every row written after the
 * cut-over comes along, and sequences are moved past the highest ids. The old single database is stale by
 * then and is never written to again: the merge goes into a new, empty database (it refuses anything else).
 */
import 'reflect-metadata';
import { runMoveCli } from '../operations/data-move/move-cli';
import { DOMAIN_SCHEMAS } from '../shared/config';

void runMoveCli({
  command: 'merge',
  urls: {
    primary: 'the primary database of the split layout',
    data: 'the data database of the split layout',
    to: 'the new, empty single-layout database',
  },
  jobs: (urls) => [
    {
      schema: DOMAIN_SCHEMAS.primary,
      sourceUrl: urls.primary,
      targetUrl: urls.to,
      sourceFlag: '--primary',
      targetFlag: '--to',
    },
    {
      schema: DOMAIN_SCHEMAS.data,
      sourceUrl: urls.data,
      targetUrl: urls.to,
      sourceFlag: '--data',
      targetFlag: '--to',
    },
  ],
}).then((code) => {
  process.exitCode = code;
});
