import { BadUserInputError } from '../../platform/errors/errors';
import { requireText } from '../../shared/validation';

/** 2 to 63 characters (a DNS label), lower-case letters, digits and hyphens, no hyphen at either end. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])$/;
const SLUG_RULE =
  'must be 2 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen';

export function requireOrganizationName(value: string): string {
  return requireText('name', value, 1, 200);
}

export function requireSlug(value: string): string {
  const slug = value.trim();
  if (!SLUG.test(slug)) throw new BadUserInputError('slug', `${SLUG_RULE}; got "${slug}".`);
  return slug;
}

/** "Café Señor & Co." -> "cafe-senor-co": accents folded, everything else between words becomes one hyphen. */
export function slugFromName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 63)
    .replace(/^-+|-+$/g, '');
  if (!SLUG.test(slug)) {
    throw new BadUserInputError(
      'slug',
      `could not be derived from the name "${name}"; give one that ${SLUG_RULE}.`,
    );
  }
  return slug;
}
