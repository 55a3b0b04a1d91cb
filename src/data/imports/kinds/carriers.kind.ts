import type { ClientBase } from 'pg';
import { ImportKind } from '../../../shared/imports/run-status';
import { CODE, type ImportKindSpec, type RowValidator } from './import-kind';

const NAME_MAX = 200;

/**
 * Upserts carriers and their services by code; nothing is deleted. One advisory lock for the kind keeps two
 * carrier files from interleaving their upserts.
 */
export const carriersKind: ImportKindSpec = {
  kind: ImportKind.CARRIERS,
  header: ['carrier_code', 'carrier_name', 'service_code', 'service_name'],
  stageColumns: [
    ['carrier_code', 'text'],
    ['carrier_name', 'text'],
    ['service_code', 'text'],
    ['service_name', 'text'],
  ],
  uniqueKey: 'carrier_code, service_code',

  prepare(): Promise<RowValidator> {
    return Promise.resolve((fields, reject) => {
      const [carrierCode, carrierName, serviceCode, serviceName] = fields;
      const carrier = carrierCode.toUpperCase();
      const service = serviceCode.toUpperCase();
      if (!CODE.test(carrier)) reject('carrier_code', 'must be 1 to 20 letters, digits, - or _.');
      if (!CODE.test(service)) reject('service_code', 'must be 1 to 20 letters, digits, - or _.');
      if (!carrierName || carrierName.length > NAME_MAX) {
        reject('carrier_name', `must be 1 to ${NAME_MAX} characters.`);
      }
      if (!serviceName || serviceName.length > NAME_MAX) {
        reject('service_name', `must be 1 to ${NAME_MAX} characters.`);
      }
      const ok =
        CODE.test(carrier) &&
        CODE.test(service) &&
        [carrierName, serviceName].every((n) => n && n.length <= NAME_MAX);
      return ok ? [carrier, carrierName, service, serviceName] : null;
    });
  },

  async apply(client: ClientBase): Promise<number> {
    await client.query(`select pg_advisory_xact_lock(hashtext('data.carriers'))`);
    // A carrier listed on several rows takes the name of its last row.
    await client.query(
      `insert into "data"."carrier" ("id", "code", "name")
       select distinct on (carrier_code) gen_random_uuid(), carrier_code, carrier_name
         from import_stage order by carrier_code, row_number desc
       on conflict ("code") do update set "name" = excluded."name", "updated_at" = now()`,
    );
    const upserted = await client.query(
      `insert into "data"."carrier_service" ("id", "carrier_id", "code", "name")
       select gen_random_uuid(), c."id", s.service_code, s.service_name
         from import_stage s join "data"."carrier" c on c."code" = s.carrier_code
       on conflict ("carrier_id", "code") do update set "name" = excluded."name"`,
    );
    return upserted.rowCount ?? 0;
  },
};
