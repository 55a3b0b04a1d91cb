import { DOMAIN_SCHEMAS } from '../../platform/domains';
import type { MoveCommand } from './move-cli';

/** Single -> split: "core" of the single database to the primary database, "data" to the data database. */
export const splitCommand: MoveCommand = {
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
};

/**
 * Split -> single, and the rollback after a split cut-over. It loses nothing written after the cut-over
 * because it copies the split databases' whole current content, not a replay of what the old single
 * database missed, and moves every sequence past the highest id. The old single database is stale by then
 * and is never written to again: the merge goes into a new, empty database (it refuses anything else).
 */
export const mergeCommand: MoveCommand = {
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
};
