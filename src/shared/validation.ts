import { BadUserInputError } from '../platform/errors/errors';

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is the mailer's job.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(field: string, value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new BadUserInputError(field, 'must be an email address such as name@example.com.');
  return email;
}

export function requireLength(field: string, value: string, min: number, max: number): string {
  const length = [...value].length;
  if (length < min || length > max) {
    throw new BadUserInputError(field, `must be ${min} to ${max} characters long; got ${length}.`);
  }
  return value;
}

export function requireText(field: string, value: string, min: number, max: number): string {
  return requireLength(field, value.trim(), min, max);
}

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function requirePassword(field: string, value: string): string {
  return requireLength(field, value, PASSWORD_MIN, PASSWORD_MAX);
}
