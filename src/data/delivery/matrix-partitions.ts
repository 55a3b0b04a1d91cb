import type { ClientBase } from 'pg';

/**
 * The delivery matrix is partitioned by carrier service (LIST on carrier_service_id): one partition per
 * service, named after it, plus a DEFAULT partition for lanes of services that have none yet (written other
 * than by an import). A service's lanes are replaced by loading a fresh table, indexing it, and swapping it
 * in for the old partition, which is dropped: the old rows never become dead tuples to vacuum.
 */
export const MATRIX_TABLE = '"data"."delivery_matrix_entry"';
export const MATRIX_DEFAULT_PARTITION = '"data"."delivery_matrix_entry_default"';
export const MATRIX_COLUMNS = [
  'carrier_service_id',
  'origin_zip3',
  'destination_zip3',
  'transit_days',
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The service id, checked, as a SQL literal (DDL takes no parameters). */
function serviceLiteral(serviceId: string): string {
  if (!UUID.test(serviceId)) throw new Error(`not a carrier service id: ${serviceId}`);
  return `'${serviceId.toLowerCase()}'::uuid`;
}

/** The partition of one service: delivery_matrix_entry_<id without dashes> (54 characters). */
export function partitionName(serviceId: string): string {
  serviceLiteral(serviceId);
  return `delivery_matrix_entry_${serviceId.toLowerCase().replace(/-/g, '')}`;
}

const qualified = (name: string) => `"data"."${name}"`;

/**
 * A table shaped like a partition of the matrix, holding no rows and attached to nothing, named as the
 * caller says (unique to its transaction: the partition's own name is taken until the swap). It carries the matrix's checks and one matching the partition bound
 * (carrier_service_id = the service), so that ATTACH PARTITION can skip its validation scan; the primary
 * key comes after the load (`indexLaneTable`): an index built once over the loaded rows costs a fraction of
 * maintaining it row by row, and the foreign key is checked by ATTACH with one join, not per row.
 */
export async function createLaneTable(client: ClientBase, serviceId: string, name: string): Promise<string> {
  await client.query(
    `create table ${qualified(name)} (
       "origin_zip3" char(3) not null, "destination_zip3" char(3) not null,
       "carrier_service_id" uuid not null, "transit_days" smallint not null,
       constraint delivery_matrix_entry_service_check check ("carrier_service_id" = ${serviceLiteral(serviceId)}),
       constraint delivery_matrix_entry_transit_days_check check (transit_days between 0 and 30),
       constraint delivery_matrix_entry_destination_zip3_check check (destination_zip3 ~ '^[0-9]{3}$'),
       constraint delivery_matrix_entry_origin_zip3_check check (origin_zip3 ~ '^[0-9]{3}$'))`,
  );
  return name;
}

/**
 * Builds the loaded table's primary key (the unique index ATTACH then adopts for the parent's, rather than
 * building another). Fails with unique_violation when the rows repeat a lane.
 */
export async function indexLaneTable(client: ClientBase, table: string): Promise<void> {
  await client.query(
    `alter table ${qualified(table)} add constraint "${table}_pkey"
       primary key ("origin_zip3", "destination_zip3", "carrier_service_id")`,
  );
}

/**
 * Takes, before any swap, the locks the swaps will need besides the matrix's own: SHARE ROW EXCLUSIVE on
 * carrier_service, which ATTACH takes to check the new partition against the foreign key. Taken first so
 * that waiting for it (behind a carriers import, say) happens while readers of the matrix still read;
 * writes to carrier_service then wait until commit, reads do not.
 */
export async function lockForSwap(client: ClientBase): Promise<void> {
  await client.query(`lock table "data"."carrier_service" in share row exclusive mode`);
}

/**
 * Replaces the service's partition with the loaded, indexed table: DROP the old partition (or delete the
 * service's rows from the DEFAULT partition, where a service without a partition has its lanes), ATTACH the
 * new one, and give it the partition's name. Inside the caller's transaction. DROP takes ACCESS EXCLUSIVE on
 * the matrix table (and its DEFAULT partition), so from here to commit readers of the matrix wait, then see
 * the new lanes: none ever sees a mix. ATTACH skips the partition-bound scan (the table's check implies the
 * bound) and adopts the primary key built beforehand, but checks the foreign key to carrier_service with
 * one anti-join over the new rows (about 0.2 s per million rows): a foreign key created on the table
 * before ATTACH would spare that, but ATTACH would then drop the table's own trigger on carrier_service,
 * which takes ACCESS EXCLUSIVE on carrier_service until commit (and deadlocks with a second import holding
 * a read lock on it). The old partition is dropped while attached, not detached first: DETACH would give
 * it a foreign key of its own, and its DROP the same ACCESS EXCLUSIVE. (DETACH … CONCURRENTLY cannot run in
 * a transaction block, and the swap must be one with the import.)
 */
export async function swapLaneTable(client: ClientBase, serviceId: string, table: string): Promise<void> {
  const partition = partitionName(serviceId);
  const { rows } = await client.query<{ attached: boolean }>(
    `select exists (select 1 from pg_inherits
                     where inhparent = '"data"."delivery_matrix_entry"'::regclass and inhrelid = to_regclass($1)) as attached`,
    [qualified(partition)],
  );
  if (rows[0]!.attached) {
    await client.query(`drop table ${qualified(partition)}`);
  } else {
    await client.query(
      `delete from ${MATRIX_DEFAULT_PARTITION} where "carrier_service_id" = ${serviceLiteral(serviceId)}`,
    );
  }
  await client.query(
    `alter table ${MATRIX_TABLE} attach partition ${qualified(table)} for values in (${serviceLiteral(serviceId)})`,
  );
  await client.query(`alter table ${qualified(table)} rename to "${partition}"`);
  await client.query(`alter index ${qualified(`${table}_pkey`)} rename to "${partition}_pkey"`);
}
