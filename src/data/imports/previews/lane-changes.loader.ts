import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LaneExample } from './import-preview-service.entity';
import type { LaneChange, LaneChangeSet, ServiceLaneChanges } from './lane-changes.types';

interface Row {
  import_id: string;
  carrier_service_id: string;
  carrier_code: string;
  service_code: string;
  lanes_before: number;
  lanes_after: number;
  lanes_added: number;
  lanes_removed: number;
  lanes_changed: number;
  examples: LaneExample[];
}

const toChange = (e: LaneExample): LaneChange => ({
  originZip3: e.originZip3,
  destinationZip3: e.destinationZip3,
  transitDaysBefore: e.before,
  transitDaysAfter: e.after,
});

const setOf = (row: Row, change: LaneExample['change'], count: number): LaneChangeSet => ({
  count,
  examples: row.examples.filter((e) => e.change === change).map(toChange),
});

/** The lane changes of each preview of a batch, by carrier then service code: one statement per batch. */
export function laneChangesLoader(em: EntityManager) {
  return new DataLoader<string, ServiceLaneChanges[]>((importIds) => laneChangesOf(em, importIds));
}

/** The lane changes of each of the previews, in their order (an empty list for an import with none). */
export async function laneChangesOf(
  em: EntityManager,
  importIds: readonly string[],
): Promise<ServiceLaneChanges[][]> {
  const rows = await em.getConnection().execute<Row[]>(
    `select p."import_id", p."carrier_service_id", c."code" as "carrier_code", s."code" as "service_code",
              p."lanes_before", p."lanes_after", p."lanes_added",
              p."lanes_removed", p."lanes_changed", p."examples"
         from "data"."import_preview_service" p
         join "data"."carrier_service" s on s."id" = p."carrier_service_id"
         join "data"."carrier" c on c."id" = s."carrier_id"
        where p."import_id" in (${importIds.map(() => '?').join(', ')})
        order by p."import_id", c."code", s."code"`,
    [...importIds],
  );
  const byImport = new Map<string, ServiceLaneChanges[]>(importIds.map((id) => [id, []]));
  for (const row of rows) {
    byImport.get(row.import_id)?.push({
      carrierServiceId: row.carrier_service_id,
      carrierCode: row.carrier_code,
      serviceCode: row.service_code,
      lanesBefore: row.lanes_before,
      lanesAfter: row.lanes_after,
      added: setOf(row, 'ADDED', row.lanes_added),
      removed: setOf(row, 'REMOVED', row.lanes_removed),
      changed: setOf(row, 'CHANGED', row.lanes_changed),
    });
  }
  return importIds.map((id) => byImport.get(id)!);
}
