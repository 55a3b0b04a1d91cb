/**
 * Split -> single: copies "core" from the primary database and "data" from the data database into one new
 * database, then checks every table. It is also the rollback after a split cut-over, and loses nothing
 * written since (see mergeCommand). See docs/DATA_MOVE.md.
 *   npm run db:merge -- --primary URL --data URL --to URL [--dry-run | --verify-only] [--resume]
 */
import 'reflect-metadata';
import { runMoveCli } from '../operations/data-move/move-cli';
import { mergeCommand } from '../operations/data-move/move-commands';

void runMoveCli(mergeCommand).then((code) => {
  process.exitCode = code;
});
