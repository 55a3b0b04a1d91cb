import { BadUserInputError } from '../../platform/errors/errors';

export const SEARCH_MAX_LENGTH = 200;

/**
 * A search term for ILIKE '%term%' (served by pg_trgm indexes): trimmed, with its own %, _ and \ matched
 * literally. Null means no filter (left out, or blank).
 */
export function searchPattern(value: string | null | undefined, field: string): string | null {
  const term = value?.trim();
  if (!term) return null;
  if ([...term].length > SEARCH_MAX_LENGTH) {
    throw new BadUserInputError(field, `must be at most ${SEARCH_MAX_LENGTH} characters long.`);
  }
  return `%${term.replace(/[\\%_]/g, '\\$&')}%`;
}
