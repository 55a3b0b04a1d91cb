import { getMetadataStorage, type MiddlewareFn } from 'type-graphql';
import { dataResolvers } from '../data/data.resolvers';
import { primaryResolvers } from '../primary/primary.resolvers';
import type { DomainName } from '../shared/config';
import { isConnectionError } from '../shared/db-errors';
import { DatabaseUnavailableError } from '../shared/errors';

/** "Type.field" -> the database its resolver reads, from the resolver classes each domain registers. */
function fieldDomains(): Map<string, DomainName> {
  const storage = getMetadataStorage();
  // Keys are resolver classes as type-graphql records them (its metadata types them as Function).
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  const domainOf = new Map<Function, DomainName>([
    ...primaryResolvers.map((r) => [r, 'primary'] as const),
    ...dataResolvers.map((r) => [r, 'data'] as const),
  ]);
  const map = new Map<string, DomainName>();
  for (const [root, list] of [
    ['Query', storage.queries],
    ['Mutation', storage.mutations],
  ] as const) {
    for (const q of list) {
      const domain = domainOf.get(q.target);
      if (domain) map.set(`${root}.${q.schemaName}`, domain);
    }
  }
  for (const f of storage.fieldResolvers) {
    const domain = domainOf.get(f.target);
    const type = storage.objectTypes.find((o) => o.target === f.getObjectType?.());
    if (domain && type) map.set(`${type.name}.${f.schemaName}`, domain);
  }
  return map;
}

/**
 * Turns "cannot reach the database" into DATABASE_UNAVAILABLE naming the domain, so a client (and the
 * other half of a mixed query) knows which database is down. Other errors pass unchanged.
 */
export function databaseErrorsMiddleware(): MiddlewareFn {
  let map: Map<string, DomainName> | undefined;
  return async ({ info }, next) => {
    try {
      return await next();
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      map ??= fieldDomains();
      throw new DatabaseUnavailableError(map.get(`${info.parentType.name}.${info.fieldName}`) ?? 'a');
    }
  };
}
