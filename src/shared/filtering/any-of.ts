import { BadUserInputError } from '../../platform/errors/errors';

/**
 * A filter on a list of values (statuses, kinds): the row has any of them. Null or left out means no
 * filter; an empty list would match nothing, which is never what a client means, so it is refused.
 */
export function anyOf<V extends string>(values: readonly V[] | null | undefined, field: string): V[] | null {
  if (values == null) return null;
  if (values.length === 0) {
    throw new BadUserInputError(field, 'must name at least one value; leave it out to match every value.');
  }
  return [...new Set(values)];
}
