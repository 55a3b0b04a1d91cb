import { parseCountryCode } from '../../shared/geography/countries';
import { BadUserInputError } from '../../platform/errors/errors';
import { POSTAL_CODE_REQUIRED, postalCodeRule } from '../../shared/geography/postal-codes';
import { parseTimeZone } from '../../shared/geography/time-zones';
import { requireText } from '../../shared/validation';

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Every column a facility's rules look at, after the input has been applied. */
export interface FacilityFields {
  code: string;
  name: string;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  countryCode: string;
  timezone: string;
}

function optionalText(field: string, value: string | null, max: number): string | null {
  const text = value?.trim();
  return text ? requireText(field, text, 1, max) : null;
}

export function requireFacilityCode(value: string): string {
  const code = value.trim();
  if (!CODE.test(code))
    throw new BadUserInputError(
      'code',
      `must be 1 to 32 letters, digits, - or _, starting with a letter or digit; got "${code}".`,
    );
  return code.toUpperCase();
}

/**
 * Validates and normalizes the whole facility at once, so a change of country re-checks the postal code
 * it keeps. Throws BAD_USER_INPUT naming the first field that fails.
 */
export function normalizeFacility(f: FacilityFields): FacilityFields {
  const text = {
    code: requireFacilityCode(f.code),
    name: requireText('name', f.name, 1, 200),
    addressLine1: requireText('addressLine1', f.addressLine1, 1, 200),
    addressLine2: optionalText('addressLine2', f.addressLine2, 200),
    city: requireText('city', f.city, 1, 100),
    region: optionalText('region', f.region, 100),
  };
  const countryCode = parseCountryCode(f.countryCode);
  if (!countryCode) {
    throw new BadUserInputError(
      'countryCode',
      `must be an ISO 3166-1 alpha-2 code such as US; got "${f.countryCode}".`,
    );
  }
  return {
    ...text,
    countryCode,
    postalCode: normalizePostalCode(countryCode, f.postalCode),
    timezone: requireTimeZone(f.timezone),
  };
}

function normalizePostalCode(countryCode: string, value: string | null): string | null {
  const rule = postalCodeRule(countryCode);
  if (!value?.trim()) {
    if (!POSTAL_CODE_REQUIRED.has(countryCode)) return null;
    throw new BadUserInputError('postalCode', `is required for ${countryCode}: ${rule.description}.`);
  }
  const postalCode = rule.normalize(value);
  if (!postalCode)
    throw new BadUserInputError(
      'postalCode',
      `must be ${rule.description} for ${countryCode}; got "${value}".`,
    );
  return postalCode;
}

function requireTimeZone(value: string): string {
  const timezone = parseTimeZone(value);
  if (!timezone)
    throw new BadUserInputError(
      'timezone',
      `must be an IANA time zone such as America/Chicago; got "${value}".`,
    );
  return timezone;
}
