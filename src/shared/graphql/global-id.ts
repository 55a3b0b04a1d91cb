import { BadUserInputError } from '../../platform/errors/errors';
import { isUuid } from '../../platform/ids';

/** The GraphQL types that implement Node; a global id names one of them. */
export const NODE_TYPES = [
  'Carrier',
  'CarrierService',
  'Facility',
  'Import',
  'ImportError',
  'IntegrationRun',
  'Organization',
  'Role',
  'User',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

const isNodeType = (value: string): value is NodeType => (NODE_TYPES as readonly string[]).includes(value);

/**
 * A global id is opaque to clients: base64url of `<Type>:<uuid>` (Relay's convention). The type lets
 * `node(id:)` find the row without trying every table; the uuid is the row's primary key.
 */
export function toGlobalId(type: NodeType, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`).toString('base64url');
}

export interface DecodedId {
  type: NodeType;
  uuid: string;
}

/** The type and key of a global id; null for anything this gateway did not give out. */
export function fromGlobalId(id: string): DecodedId | null {
  if (id.length > 120) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  const uuid = text.slice(colon + 1);
  if (colon < 1 || !isNodeType(type) || !isUuid(uuid)) return null;
  // Base64url has several spellings of one text; only the canonical one is an id.
  return toGlobalId(type, uuid) === id ? { type, uuid } : null;
}

/** "an Import", "a Facility": the type names start with a capital, so the vowel test is on that. */
const article = (type: NodeType) => `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;

/**
 * The primary key an id argument names, for a field that takes ids of one type. The bare uuid of the
 * row is accepted too (logs and the CLI show those). Null for an id that names nothing (the caller
 * answers NOT_FOUND, as for a deleted row); an id of another type is a BAD_USER_INPUT naming both.
 */
export function keyOf(type: NodeType, id: string, arg = 'id'): string | null {
  if (isUuid(id)) return id.toLowerCase();
  const decoded = fromGlobalId(id);
  if (!decoded) return null;
  if (decoded.type !== type) {
    throw new BadUserInputError(
      arg,
      `is the id of ${article(decoded.type)}; ${article(type)} id is expected here.`,
    );
  }
  return decoded.uuid;
}
