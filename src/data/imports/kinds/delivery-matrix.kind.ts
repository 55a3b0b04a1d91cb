import type { ClientBase } from 'pg';
import { ImportKind } from '../../../shared/imports/run-status';
import { MAX_TRANSIT_DAYS } from '../../delivery/transit-days';
import { ZIP3, type ImportKindSpec, type RowValidator } from './import-kind';

/**
 * Replaces, in one transaction, every matrix row of each carrier service present in the file. Imports
 * touching the same service serialize on one advisory lock per service, taken in id order so two imports
 * of overlapping services cannot deadlock (replaceLanes).
 */
export const deliveryMatrixKind: ImportKindSpec = {
  kind: ImportKind.DELIVERY_MATRIX,
  header: ['carrier_code', 'service_code', 'origin_zip3', 'destination_zip3', 'transit_days'],
  stageColumns: [
    ['carrier_service_id', 'uuid'],
    ['origin_zip3', 'char(3)'],
    ['destination_zip3', 'char(3)'],
    ['transit_days', 'smallint'],
  ],
  uniqueKey: 'carrier_service_id, origin_zip3, destination_zip3',

  async prepare(client: ClientBase): Promise<RowValidator> {
    const { rows } = await client.query<{ carrier: string; service: string; id: string }>(
      `select c."code" as carrier, s."code" as service, s."id"
         from "data"."carrier_service" s join "data"."carrier" c on c."id" = s."carrier_id"`,
    );
    const carriers = new Set(rows.map((r) => r.carrier));
    const services = new Map(rows.map((r) => [`${r.carrier}\u0000${r.service}`, r.id]));
    return ([carrierCode, serviceCode, origin, destination, days], reject) => {
      const carrier = carrierCode.toUpperCase();
      const service = serviceCode.toUpperCase();
      const serviceId = services.get(`${carrier}\u0000${service}`);
      if (!carriers.has(carrier)) reject('carrier_code', `unknown carrier "${carrierCode}".`);
      else if (!serviceId) reject('service_code', `carrier ${carrier} has no service "${serviceCode}".`);
      const originOk = ZIP3.test(origin);
      const destinationOk = ZIP3.test(destination);
      if (!originOk) reject('origin_zip3', `must be three digits; got "${origin}".`);
      if (!destinationOk) reject('destination_zip3', `must be three digits; got "${destination}".`);
      const transit = /^\d{1,2}$/.test(days) ? Number(days) : NaN;
      const transitOk = transit <= MAX_TRANSIT_DAYS;
      if (!transitOk) {
        reject('transit_days', `must be an integer from 0 to ${MAX_TRANSIT_DAYS}; got "${days}".`);
      }
      if (!serviceId || !originOk || !destinationOk || !transitOk) return null;
      return [serviceId, origin, destination, transit];
    };
  },

  async apply(client: ClientBase): Promise<number> {
    const { rows } = await client.query<{ id: string }>(
      'select distinct carrier_service_id as id from import_stage order by 1',
    );
    return replaceLanes(client, {
      serviceIds: rows.map((r) => r.id),
      select: 'select carrier_service_id, origin_zip3, destination_zip3, transit_days from import_stage',
      params: [],
    });
  },
};

/**
 * Rows that replace the lanes of some services: a select of (carrier_service_id, origin_zip3,
 * destination_zip3, transit_days), with its own parameters ($1…), whose every row belongs to one of
 * `serviceIds`: the import's staging table, or a preview's staged rows.
 */
export interface LaneSource {
  serviceIds: readonly string[];
  select: string;
  params: readonly unknown[];
}

/**
 * Replaces every lane of the source's services with the source's rows, inside the caller's transaction;
 * returns the number of rows inserted. The one path by which the matrix changes: a direct import and an
 * applied preview both come here. Each service's lanes_version is bumped; `check` sees the versions as
 * they were, once the services are locked and before anything changes, and may throw to refuse.
 */
export async function replaceLanes(
  client: ClientBase,
  source: LaneSource,
  check?: (versionsBefore: ReadonlyMap<string, number>) => void,
): Promise<number> {
  const ids = [...source.serviceIds].sort();
  for (const id of ids) {
    await client.query(`select pg_advisory_xact_lock(hashtext('data.delivery_matrix'), hashtext($1))`, [id]);
  }
  const bumped = await client.query<{ id: string; before: number }>(
    `update "data"."carrier_service" set "lanes_version" = "lanes_version" + 1 where "id" = any($1::uuid[])
     returning "id", "lanes_version" - 1 as "before"`,
    [ids],
  );
  check?.(new Map(bumped.rows.map((r) => [r.id, r.before])));
  // The ids given, not a second pass over the source (a million rows for a large file).
  await client.query(
    `delete from "data"."delivery_matrix_entry" where "carrier_service_id" = any($1::uuid[])`,
    [ids],
  );
  const inserted = await client.query(
    `insert into "data"."delivery_matrix_entry" ("origin_zip3", "destination_zip3", "carrier_service_id", "transit_days")
     select origin_zip3, destination_zip3, carrier_service_id, transit_days from (${source.select}) s
      order by origin_zip3, destination_zip3`,
    [...source.params],
  );
  return inserted.rowCount ?? 0;
}
