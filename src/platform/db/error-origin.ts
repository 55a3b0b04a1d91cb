import type { DomainName } from '../domains';

/**
 * A string property, not a symbol: MikroORM wraps driver errors in its own exceptions by copying the
 * original's own property names, so the tag survives the wrapping.
 */
const TAG = 'gatewayDatabase';

type Tagged = { [TAG]?: DomainName; previous?: unknown; cause?: unknown };

/** Marks an error with the database it came from (once: the first, innermost tag wins). */
export function tagDatabase<E>(err: E, domain: DomainName): E {
  if (err && typeof err === 'object' && !(TAG in err)) (err as Tagged)[TAG] = domain;
  return err;
}

/** The database an error came from, when one of the ORMs raised it. */
export function databaseOf(err: unknown, depth = 0): DomainName | null {
  if (!err || typeof err !== 'object' || depth > 5) return null;
  const e = err as Tagged;
  return e[TAG] ?? databaseOf(e.previous, depth + 1) ?? databaseOf(e.cause, depth + 1);
}
