/**
 * Single -> split: copies schema "core" of the single database into the primary database and schema "data"
 * into the data database, then checks every table. See docs/DATA_MOVE.md.
 *   npm run db:split -- --from URL --primary URL --data URL [--dry-run | --verify-only] [--resume]
 */
import 'reflect-metadata';
import { runMoveCli } from '../operations/data-move/move-cli';
import { DOMAIN_SCHEMAS } from '../shared/config';

void runMoveCli({
  command: 'split',
  urls: {
    from: 'the single-layout database (schemas "core" and "data")',
    primary: 'the new, empty primary database',
    data: 'the new, empty data database',
  },
  jobs: (urls) => [
    {
      schema: DOMAIN_SCHEMAS.primary,
      sourceUrl: urls.from,
      targetUrl: urls.primary,
      sourceFlag: '--from',
      targetFlag: '--primary',
    },
    {
      schema: DOMAIN_SCHEMAS.data,
      sourceUrl: urls.from,
      targetUrl: urls.data,
      sourceFlag: '--from',
      targetFlag: '--data',
    },
  ],
}).then((code) => {
  process.exitCode = code;
});
