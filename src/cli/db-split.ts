/**
 * Single -> split: copies schema "core" of the single database into the primary database and schema "data"
 * into the data database, then checks every table. See docs/DATA_MOVE.md.
 *   npm run db:split -- --from URL --primary URL --data URL [--dry-run | --verify-only] [--resume]
 */
import 'reflect-metadata';
import { runMoveCli } from '../operations/data-move/move-cli';
import { splitCommand } from '../operations/data-move/move-commands';

void runMoveCli(splitCommand).then((code) => {
  process.exitCode = code;
});
