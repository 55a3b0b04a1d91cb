import type { BenchServer } from './databases';

export const MATRIX_CARRIERS = ['BENCHA', 'BENCHB'];
export const MATRIX_SERVICES = ['GROUND', 'EXPRESS', 'FREIGHT', 'SAVER', 'PRIORITY'];
/** Lanes per (origin ZIP3) row of the matrix: destinations 000..999. */
const DESTINATIONS = 1000;

/**
 * The delivery matrix with set-based SQL, as an import of the same lanes leaves it: 2 carriers × 5
 * services, and `rows / 10` (origin, destination) lanes, each served by every service. Ids are derived
 * from the codes, so two runs build the same rows; carriers and services already there (an earlier
 * scenario's import) are used as they are.
 */
export async function seedDeliveryMatrix(server: BenchServer, database: string, rows: number): Promise<void> {
  const sql = (text: string, params: unknown[] = []) => server.query(text, params, database);
  await sql(
    `insert into "data"."carrier" ("id", "code", "name")
     select md5(format('bench-carrier-%s', c))::uuid, c, format('Bench Carrier %s', c) from unnest($1::text[]) c
     on conflict ("code") do nothing`,
    [MATRIX_CARRIERS],
  );
  await sql(
    `insert into "data"."carrier_service" ("id", "carrier_id", "code", "name")
     select md5(format('bench-service-%s-%s', c."code", s))::uuid, c."id", s, format('%s service', s)
       from "data"."carrier" c cross join unnest($2::text[]) s
      where c."code" = any($1::text[])
     on conflict ("carrier_id", "code") do nothing`,
    [MATRIX_CARRIERS, MATRIX_SERVICES],
  );
  const lanes = Math.ceil(rows / (MATRIX_CARRIERS.length * MATRIX_SERVICES.length));
  await sql(
    `insert into "data"."delivery_matrix_entry" ("origin_zip3", "destination_zip3", "carrier_service_id", "transit_days")
     select lpad((k / $1)::text, 3, '0'), lpad((k % $1)::text, 3, '0'), s."id", (k + s.n) % 31
       from generate_series(0, $2::int - 1) k
       cross join (select s."id", row_number() over (order by s."carrier_id", s."code") as n
                     from "data"."carrier_service" s join "data"."carrier" c on c."id" = s."carrier_id"
                    where c."code" = any($3::text[])) s`,
    [DESTINATIONS, lanes, MATRIX_CARRIERS],
  );
  await sql('analyze "data"."carrier", "data"."carrier_service", "data"."delivery_matrix_entry"');
}
