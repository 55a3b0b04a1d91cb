import { BadUserInputError } from '../../platform/errors/errors';

/**
 * For a lookup that takes one of several keys (`carrier(id:)` or `carrier(code:)`): the name of the one
 * given. None, or more than one, is a BAD_USER_INPUT naming them.
 */
export function exactlyOne<K extends string>(args: Record<K, unknown>): K {
  const names = Object.keys(args) as K[];
  const given = names.filter((name) => args[name] != null);
  if (given.length !== 1) {
    throw new BadUserInputError(names[0], `give exactly one of ${names.join(', ')}; got ${given.length}.`);
  }
  return given[0];
}
