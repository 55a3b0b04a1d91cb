import type { MikroORM } from '@mikro-orm/postgresql';
import type { DomainName } from '../domains';
import { tagDatabase } from './error-origin';
import { watchPoolFailures } from './pool-waiting';

/**
 * Refusals worth waiting out: the server has no connection slot free (53300), or is starting (57P03); a
 * pooled connection comes free or the retry gets in. Anything else (authentication, pg_hba, TLS, a missing
 * database, an unreachable host) will not mend in the next seconds.
 */
const WAITABLE = new Set(['53300', '57P03']);

interface KnexClientLike {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
  _query(connection: unknown, obj: unknown): Promise<unknown>;
}

/**
 * Wires one ORM's pool for production: every error it raises is tagged with its database (so a field
 * that reads both reports the right one); each refused connection attempt reaches `onRefused` with the
 * server's reason; and queries waiting for a connection fail at once on a refusal that waiting cannot
 * mend, instead of at the acquire timeout (the pool retries only the refusals worth waiting out).
 */
export function guardPool(
  orm: MikroORM,
  domain: DomainName,
  onRefused: (err: Error) => void = () => undefined,
): void {
  const client = orm.em.getConnection().getKnex().client as KnexClientLike;
  const acquire = client.acquireConnection.bind(client);
  const query = client._query.bind(client);
  const waiting = new Set<(err: Error) => void>();

  watchPoolFailures(orm, (err) => {
    tagDatabase(err, domain);
    onRefused(err);
    if (WAITABLE.has(String((err as { code?: unknown }).code))) return;
    for (const fail of [...waiting]) fail(err);
  });

  client.acquireConnection = () =>
    new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        waiting.delete(fail);
        reject(err);
      };
      waiting.add(fail);
      acquire().then(
        (connection) => {
          waiting.delete(fail);
          // Given up on already: the pool's own wait went on, and the connection goes straight back.
          if (settled) void client.releaseConnection(connection);
          else resolve(connection);
          settled = true;
        },
        (err: unknown) => fail(tagDatabase(err as Error, domain)),
      );
    });
  client._query = (connection, obj) =>
    query(connection, obj).catch((err: unknown) => Promise.reject(tagDatabase(err, domain)));
}
