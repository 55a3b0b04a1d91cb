import { BadUserInputError } from '../../platform/errors/errors';

/** A US ZIP code split into its parts; zip3 is the sectional centre the delivery matrix is keyed by. */
export interface UsZip {
  zip5: string;
  plus4: string | null;
  zip3: string;
  /** `12345` or `12345-6789`. */
  formatted: string;
}

const US_ZIP = /^(\d{5})(?:[-\s]?(\d{4}))?$/;
// Canada Post: no D, F, I, O, Q or U anywhere, and no W or Z as the first letter.
const CA_POSTAL = /^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$/;
// Royal Mail: outward code (A9, A99, AA9, AA99, A9A, AA9A) then inward code 9AA; GIR 0AA is the one oddity.
const GB_POSTCODE = /^(GIR|[A-Z]{1,2}\d[A-Z\d]?|[A-Z]{1,2}\d{2}) ?(\d[A-Z]{2})$/;
const GENERIC_POSTAL = /^[A-Z0-9](?:[A-Z0-9 -]{0,10}[A-Z0-9])?$/;

/** Parses a US ZIP or ZIP+4 (`12345`, `12345-6789`, `123456789`); null when it is not one. */
export function parseUsZip(value: string): UsZip | null {
  const m = US_ZIP.exec(value.trim());
  if (!m) return null;
  const [, zip5, plus4 = null] = m;
  return { zip5, plus4, zip3: zip5.slice(0, 3), formatted: plus4 ? `${zip5}-${plus4}` : zip5 };
}

/** The ZIP3 of a US ZIP or ZIP+4, the delivery matrix's granularity; BAD_USER_INPUT naming the field otherwise. */
export function zip3Of(field: string, value: string): string {
  const zip = parseUsZip(value);
  if (!zip) {
    throw new BadUserInputError(field, `must be a US ZIP code such as 10001 or 10001-1234; got "${value}".`);
  }
  return zip.zip3;
}

export interface PostalCodeRule {
  /** What the client is told when the value does not fit. */
  description: string;
  /** The normalized code, or null when the value does not fit. */
  normalize(value: string): string | null;
}

const RULES: Record<string, PostalCodeRule> = {
  US: {
    description: 'a US ZIP code: 5 digits or ZIP+4 (12345 or 12345-6789)',
    normalize: (v) => parseUsZip(v)?.formatted ?? null,
  },
  CA: {
    description: 'a Canadian postal code such as K1A 0B1',
    normalize: (v) => {
      const m = CA_POSTAL.exec(v.trim().toUpperCase());
      return m ? `${m[1]} ${m[2]}` : null;
    },
  },
  GB: {
    description: 'a UK postcode such as SW1A 1AA',
    normalize: (v) => {
      const m = GB_POSTCODE.exec(v.trim().toUpperCase().replace(/\s+/g, ' '));
      return m ? `${m[1]} ${m[2]}` : null;
    },
  },
};

const GENERIC_RULE: PostalCodeRule = {
  description: '1 to 12 letters, digits, spaces or hyphens',
  normalize: (v) => {
    const code = v.trim().toUpperCase().replace(/\s+/g, ' ');
    return GENERIC_POSTAL.test(code) ? code : null;
  },
};

/** The postal-code rule of a country (ISO alpha-2); countries without a specific rule get a generic one. */
export function postalCodeRule(countryCode: string): PostalCodeRule {
  return RULES[countryCode] ?? GENERIC_RULE;
}

/** Countries whose addresses always carry a postal code; elsewhere (e.g. HK, AE) it may be left out. */
export const POSTAL_CODE_REQUIRED: ReadonlySet<string> = new Set(Object.keys(RULES));
