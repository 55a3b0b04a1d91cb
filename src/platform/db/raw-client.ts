import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClientBase } from 'pg';

interface KnexPool {
  acquireConnection(): Promise<ClientBase>;
  releaseConnection(client: ClientBase): Promise<void>;
}

export interface RawClient {
  client: ClientBase;
  /**
   * Gives the connection back. `broken`: it was left mid-statement (a COPY cut off when its reader went
   * away), so it is closed first: the server's backend ends with it, and the pool discards it instead of
   * handing a half-read protocol stream to the next request.
   */
  release(broken?: boolean): Promise<void>;
}

/**
 * A driver client from the EntityManager's own pool, for what the ORM cannot do (COPY streams): the same
 * connection settings and the same pool limit as every other statement of that domain.
 */
export async function acquireRawClient(em: EntityManager): Promise<RawClient> {
  const pool = em.getConnection().getKnex().client as KnexPool;
  const client = await pool.acquireConnection();
  let released = false;
  return {
    client,
    async release(broken = false) {
      if (released) return;
      released = true;
      // end() destroys the socket when a statement is still active; Knex then marks the client disposed
      // and its pool validation drops it on the next acquire.
      if (broken) await (client as ClientBase & { end(): Promise<void> }).end().catch(() => undefined);
      await pool.releaseConnection(client);
    },
  };
}
