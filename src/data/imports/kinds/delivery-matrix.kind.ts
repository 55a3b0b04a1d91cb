import { randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ImportKind } from '../../../shared/imports/run-status';
import {
  createLaneTable,
  indexLaneTable,
  lockForSwap,
  swapLaneTable,
} from '../../delivery/matrix-partitions';
import { MAX_TRANSIT_DAYS } from '../../delivery/transit-days';
import { MAX_KEPT_ERRORS } from '../pipeline/error-log';
import { CopyChunks } from '../pipeline/import-staging';
import { ZIP3, type ImportKindSpec, type ImportStage, type RowError, type RowValidator } from './import-kind';

/**
 * Replaces, in one transaction, every matrix row of each carrier service present in the file, by swapping
 * in a new partition per service (prepareServiceLanes). Imports touching the same service serialize on one
 * advisory lock per service, taken in id order so two imports of overlapping services cannot deadlock.
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

  apply: (client: ClientBase) => replaceServiceLanes(client, null, 'import_stage'),
  openStage: (client: ClientBase) => MatrixStage.open(client),
};

/**
 * Rows of the delivery matrix from a staging source: a relation (table, view or aliased subquery)
 * with the columns carrier_service_id, origin_zip3, destination_zip3, transit_days; or tables already loaded
 * per service by MatrixStage.
 */
export type LaneSource = string | LoadedLanes;

/** Tables loaded by an import, by carrier service id, with the rows each holds. */
export type LoadedLanes = Map<string, { table: string; rows: number }>;

/** Names of this transaction's lane tables: short, so `<name>_pkey` fits in 63 bytes. */
function laneTableNames(): (n: number) => string {
  const token = randomBytes(6).toString('hex');
  return (n) => `delivery_matrix_load_${token}_${n}`;
}

/**
 * Sees the lanes_version of each service about to be replaced as it was before this replacement, once the
 * services are locked and before any lane changes; throws to refuse the replacement (applyImport's STALE).
 */
export type LanesVersionCheck = (versionsBefore: ReadonlyMap<string, number>) => void;

/**
 * Replaces every lane of each given carrier service with the source's rows for it (none: the service is
 * left with no lanes), inside the caller's transaction; returns the rows now in those services. Services
 * null means those the source holds. Each service gets a fresh table, loaded, given its primary key, and
 * swapped in for the service's partition, which is dropped (see matrix-partitions.ts).
 * Imports touching the same service serialize on one advisory lock per service, taken in id order so two
 * imports of overlapping services cannot deadlock. Fails with unique_violation when the source repeats a
 * lane of a service.
 */
export async function replaceServiceLanes(
  client: ClientBase,
  serviceIds: readonly string[] | null,
  source: LaneSource,
  check?: LanesVersionCheck,
): Promise<number> {
  const prepared = await prepareServiceLanes(client, serviceIds, source, check);
  await prepared.swap();
  return prepared.rows;
}

/** New lanes loaded and indexed, not yet visible: `swap` puts them in place (last, just before commit). */
export interface PreparedLanes {
  rows: number;
  swap(): Promise<void>;
}

/**
 * replaceServiceLanes up to the swap: the new tables loaded and indexed, the services' locks held. The swap
 * holds the matrix against every reader until commit, so a caller with more to do in the transaction does
 * it first and swaps last.
 *
 * The one path by which an import changes the matrix: a direct import (MatrixStage) and an applied preview
 * (applyImport, a relation over its staged rows) both come here. Under the services' locks `check` sees
 * each service's lanes_version and may throw to refuse; the swap bumps the versions. A relation
 * names its services before anything is loaded, so it is locked and checked first; a direct import's tables
 * are loaded as the file is read, and locked once it has been.
 */
export async function prepareServiceLanes(
  client: ClientBase,
  serviceIds: readonly string[] | null,
  source: LaneSource,
  check?: LanesVersionCheck,
): Promise<PreparedLanes> {
  let tables: LoadedLanes;
  let ids: string[];
  if (typeof source === 'string') {
    ids = [
      ...(serviceIds ??
        (
          await client.query<{ id: string }>(
            `select distinct carrier_service_id as id from ${source} order by 1`,
          )
        ).rows.map((r) => r.id)),
    ].sort();
    if (!ids.length) return { rows: 0, swap: async () => undefined };
    await lockServices(client, ids, check);
    const name = laneTableNames();
    tables = new Map();
    for (const [n, id] of ids.entries()) {
      const table = await createLaneTable(client, id, name(n));
      const inserted = await client.query(
        `insert into "data"."${table}" ("origin_zip3", "destination_zip3", "carrier_service_id", "transit_days")
         select origin_zip3, destination_zip3, carrier_service_id, transit_days from ${source}
          where carrier_service_id = $1`,
        [id],
      );
      tables.set(id, { table, rows: inserted.rowCount ?? 0 });
    }
  } else {
    tables = source;
    const name = laneTableNames();
    for (const [n, id] of (serviceIds ?? []).entries()) {
      if (!tables.has(id)) tables.set(id, { table: await createLaneTable(client, id, name(n)), rows: 0 });
    }
    ids = [...tables.keys()].sort();
    if (!ids.length) return { rows: 0, swap: async () => undefined };
    await lockServices(client, ids, check);
  }
  // The slow part first, while readers still read the old partitions; the swaps hold the matrix against
  // readers until commit.
  // A million-lane primary key sorts in memory at 256 MB (at the default 64 MB it spills to disk); for this
  // transaction only.
  await client.query(`set local maintenance_work_mem = '256MB'`);
  for (const id of ids) await indexLaneTable(client, tables.get(id)!.table);
  return {
    rows: ids.reduce((sum, id) => sum + tables.get(id)!.rows, 0),
    async swap() {
      await lockForSwap(client);
      await bumpLanesVersions(client, ids);
      for (const id of ids) await swapLaneTable(client, id, tables.get(id)!.table);
    },
  };
}

/**
 * Takes the services' advisory locks, in id order (`ids` sorted), and lets `check` see their lanes_version:
 * the locks are held until the transaction ends, and only their holder bumps a service's version (in the
 * swap), so no other replacement of these services commits between the check and this one's commit.
 */
async function lockServices(
  client: ClientBase,
  ids: readonly string[],
  check: LanesVersionCheck | undefined,
): Promise<void> {
  for (const id of ids) {
    await client.query(`select pg_advisory_xact_lock(hashtext('data.delivery_matrix'), hashtext($1))`, [id]);
  }
  if (!check) return;
  const { rows } = await client.query<{ id: string; lanes_version: number }>(
    `select "id", "lanes_version" from "data"."carrier_service" where "id" = any($1::uuid[])`,
    [ids],
  );
  check(new Map(rows.map((r) => [r.id, r.lanes_version])));
}

/**
 * Bumps the services' lanes_version, in the swap: after lockForSwap, so that this write to carrier_service
 * (ROW EXCLUSIVE) never waits behind, nor holds up, another import's swap lock there; it commits with the
 * new partitions, so a preview's diff sees the old lanes with the old version or the new with the new.
 */
async function bumpLanesVersions(client: ClientBase, ids: readonly string[]): Promise<void> {
  await client.query(
    `update "data"."carrier_service" set "lanes_version" = "lanes_version" + 1 where "id" = any($1::uuid[])`,
    [ids],
  );
}

/** A growing list of line numbers, four bytes each (a million-row file: 4 MB). */
class LineList {
  private items = new Int32Array(1024);
  length = 0;

  push(line: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = line;
  }

  at(index: number): number {
    return this.items[index]!;
  }
}

/**
 * Loads a matrix file straight into the tables that become the services' partitions: one COPY into a
 * partitioned load table of this transaction, which routes every row to its service's table, created (and
 * the COPY reopened) the first time the file names the service. No staging table and no INSERT … SELECT:
 * each row is written once. The tables hold no row number; each keeps its rows in file order (a COPY into
 * a table created in the same transaction appends), and the line of each row is kept here, so the rows
 * repeating a lane are found by ctid order.
 */
interface Lane {
  service: string;
  table: string;
  lines: LineList;
}

class MatrixStage implements ImportStage {
  private readonly lanes = new Map<string, Lane>();
  private last: Lane | null = null;
  private chunks: CopyChunks | null = null;
  private prepared: PreparedLanes | null = null;

  private constructor(
    private readonly client: ClientBase,
    private readonly loadTable: string,
    private readonly name: (n: number) => string,
  ) {}

  static async open(client: ClientBase): Promise<MatrixStage> {
    const name = laneTableNames();
    const loadTable = name(0);
    await client.query(
      `create table "data"."${loadTable}" ("origin_zip3" char(3) not null, "destination_zip3" char(3) not null,
         "carrier_service_id" uuid not null, "transit_days" smallint not null) partition by list ("carrier_service_id")`,
    );
    return new MatrixStage(client, loadTable, name);
  }

  add(rowNumber: number, values: Array<string | number>): Promise<void> | undefined {
    const service = values[0] as string;
    const lane = this.last?.service === service ? this.last : this.lanes.get(service);
    if (!lane || !this.chunks) return this.addToNewTable(rowNumber, values);
    this.last = lane;
    lane.lines.push(rowNumber);
    // Validated values: a uuid, digits, a number; nothing to escape.
    return this.chunks.push(`${values[1]}	${values[2]}	${service}	${values[3]}
`);
  }

  private async addToNewTable(rowNumber: number, values: Array<string | number>): Promise<void> {
    const service = values[0] as string;
    await this.chunks?.end();
    if (!this.lanes.has(service)) {
      const table = await createLaneTable(this.client, service, this.name(this.lanes.size + 1));
      await this.client.query(
        `alter table "data"."${this.loadTable}" attach partition "data"."${table}" for values in ('${service}')`,
      );
      this.lanes.set(service, { service, table, lines: new LineList() });
    }
    this.chunks = new CopyChunks(
      this.client.query(
        copyFrom(
          `copy "data"."${this.loadTable}" ("origin_zip3", "destination_zip3", "carrier_service_id", "transit_days") from stdin`,
        ),
      ),
    );
    await this.add(rowNumber, values);
  }

  async end(): Promise<void> {
    await this.chunks?.end();
    this.chunks = null;
  }

  async apply(): Promise<number> {
    const tables: LoadedLanes = new Map();
    for (const { service, table, lines } of this.lanes.values()) {
      await this.client.query(`alter table "data"."${this.loadTable}" detach partition "data"."${table}"`);
      tables.set(service, { table, rows: lines.length });
    }
    await this.client.query(`drop table "data"."${this.loadTable}"`);
    this.prepared = await prepareServiceLanes(this.client, null, tables);
    return this.prepared.rows;
  }

  async beforeCommit(): Promise<void> {
    await this.prepared?.swap();
  }

  async duplicates(): Promise<[RowError[], number]> {
    const errors: RowError[] = [];
    let total = 0;
    for (const { table, lines } of this.lanes.values()) {
      const { rows } = await this.client.query<{ ord: string; first_ord: string; total: string }>(
        `select ord, first_ord, count(*) over () as total from (
           select ord, first_value(ord) over w as first_ord, row_number() over w as n
             from (select row_number() over (order by ctid) as ord, origin_zip3, destination_zip3
                     from "data"."${table}") o
           window w as (partition by origin_zip3, destination_zip3 order by ord)) d
          where n > 1 order by ord limit ${MAX_KEPT_ERRORS}`,
      );
      total += Number(rows[0]?.total ?? 0);
      for (const r of rows) {
        errors.push({
          rowNumber: lines.at(Number(r.ord) - 1),
          column: 'row',
          message: `duplicates row ${lines.at(Number(r.first_ord) - 1)} (carrier_code, service_code, origin_zip3, destination_zip3).`,
        });
      }
    }
    errors.sort((a, b) => a.rowNumber - b.rowNumber);
    return [errors.slice(0, MAX_KEPT_ERRORS), total];
  }
}
