import { BadUserInputError } from '../../platform/errors/errors';
import { isUuid } from '../../platform/ids';
import type { PageRequest } from './pagination';

/**
 * decodeCursor checks a cursor's shape, not its types. Lists ordered by (text, uuid) call this too, so a
 * forged cursor is a BAD_USER_INPUT instead of a uuid cast error from the database.
 */
export function requireTextUuidCursor(page: PageRequest): PageRequest {
  if (!page.after) return page;
  const [key, id] = page.after;
  if (typeof key !== 'string' || typeof id !== 'string' || !isUuid(id)) {
    throw new BadUserInputError(
      'after',
      'is not a cursor this list gave out; pass pageInfo.endCursor of the previous page.',
    );
  }
  return page;
}
