import { BadUserInputError } from '../../platform/errors/errors';
import { isUuid } from '../../platform/ids';
import type { Ordering } from './ordering';

/** A row's place in one ordering: its sort key's value (null when ordered by id alone) and its id. */
export interface CursorPosition {
  key: string | Date | null;
  id: string;
}

function keyOf<T>(ordering: Ordering<T>, row: T): string | null {
  if (!ordering.property) return null;
  const value: unknown = row[ordering.property];
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Cursors are opaque to clients: base64url of [ordering, sort key, id] of a row. */
export function encodeCursor<T>(ordering: Ordering<T>, row: T): string {
  const id = (row as { id: string }).id;
  const values = ordering.property ? [ordering.name, keyOf(ordering, row), id] : [ordering.name, id];
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

function refuse(arg: string, why: string): never {
  throw new BadUserInputError(arg, why);
}

const NOT_OURS = 'is not a cursor this list gave out; pass a cursor from a page of the same list.';

/**
 * Reads a cursor back for one ordering. A cursor given out under another orderBy is refused rather than
 * read with the wrong key: it would start the page at an arbitrary place.
 */
export function decodeCursor<T>(cursor: string, ordering: Ordering<T>, arg: string): CursorPosition {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    refuse(arg, NOT_OURS);
  }
  if (!Array.isArray(values) || typeof values[0] !== 'string') refuse(arg, NOT_OURS);
  if (values[0] !== ordering.name) {
    refuse(
      arg,
      `was given out for orderBy ${values[0]}, not ${ordering.name}; start again from the first page.`,
    );
  }
  const arity = ordering.property ? 3 : 2;
  const id: unknown = values[arity - 1];
  if (values.length !== arity || typeof id !== 'string' || !isUuid(id)) refuse(arg, NOT_OURS);
  if (!ordering.property) return { key: null, id };
  const key: unknown = values[1];
  if (typeof key !== 'string') refuse(arg, NOT_OURS);
  if (ordering.type === 'timestamp') {
    const at = new Date(key);
    if (Number.isNaN(at.getTime())) refuse(arg, NOT_OURS);
    return { key: at, id };
  }
  return { key, id };
}
