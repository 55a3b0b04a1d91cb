import { BadUserInputError } from '../../platform/errors/errors';

const US_ZIP = /^(\d{5})(?:-?\d{4})?$/;

/** A US ZIP (12345) or ZIP+4 (12345-6789 or 123456789) reduced to its ZIP3, the matrix's granularity. */
export function zip3Of(field: string, value: string): string {
  const match = US_ZIP.exec(value.trim());
  if (!match) {
    throw new BadUserInputError(field, `must be a US ZIP code such as 10001 or 10001-1234; got "${value}".`);
  }
  return match[1].slice(0, 3);
}

export const MAX_TRANSIT_DAYS = 30;

export function requireTransitDays(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_TRANSIT_DAYS) {
    throw new BadUserInputError(field, `must be an integer from 0 to ${MAX_TRANSIT_DAYS}; got ${value}.`);
  }
  return value;
}
