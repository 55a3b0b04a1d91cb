import { BadUserInputError } from '../../platform/errors/errors';

/** The longest transit the matrix records: longer lanes are data errors, not slow carriers. */
export const MAX_TRANSIT_DAYS = 30;

export function requireTransitDays(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_TRANSIT_DAYS) {
    throw new BadUserInputError(field, `must be an integer from 0 to ${MAX_TRANSIT_DAYS}; got ${value}.`);
  }
  return value;
}
