import type { EntityMetadata, EntityProperty, Platform } from '@mikro-orm/core';

/** An entity's row as plain data: scalar properties by name, each many-to-one relation as `{ id }`. */
export type PlainRecord<T, Refs extends keyof T> = Omit<T, Refs> & { [K in Refs]: { id: string } };

interface Column {
  column: string;
  property: string;
  /** Turns the driver's value into the property's (identity for most types). */
  convert: ((value: unknown) => unknown) | null;
  reference: boolean;
}

/** Integer types the `pg` driver already returns as numbers (not bigint or numeric, which come as strings). */
const NATIVE_NUMBERS = /^(smallint|integer|int|int2|int4|serial|smallserial)$/;

/**
 * How a column's value becomes the property's, as the ORM would map it; throws for a type this mapper does
 * not know, rather than answering differently from the ORM.
 */
function converterFor(prop: EntityProperty, platform: Platform, entity: string) {
  const column = (prop.columnTypes?.[0] ?? '').toLowerCase();
  if (prop.customType) throw new Error(`${entity}.${prop.name}: custom types are not mapped here`);
  if (prop.kind === 'm:1' || prop.runtimeType === 'string' || prop.runtimeType === 'boolean') return null;
  if (prop.runtimeType === 'number' && NATIVE_NUMBERS.test(column)) return null;
  // The ORM's driver leaves timestamps as text and parses them itself (platform.parseDate).
  if (prop.runtimeType === 'Date' && /^(timestamptz|timestamp with time zone)/.test(column)) {
    return (value: unknown) => (value == null ? value : platform.parseDate(value as string));
  }
  throw new Error(`${entity}.${prop.name}: ${prop.runtimeType} (${column}) is not mapped here`);
}

export interface PlainRows<R> {
  /** The columns holding these properties (names that are not columns are skipped), in table order. */
  columnsOf(properties: Iterable<string>): string[];
  /** One row, of all columns or a subset: only the properties of the columns present are set. */
  map(row: Record<string, unknown>): R;
}

/**
 * Maps raw rows of one entity's table to plain objects, for read-only lists served straight to GraphQL:
 * no identity map, no change-tracking snapshot, no reference wiring per row (what `em.map` does, and the
 * bulk of the CPU and garbage of a 1,000-row nested page). Values are converted as the ORM converts them
 * for the types this knows (text, booleans, native integers, timestamptz); an entity with any other type
 * is refused when the mapper is built, rather than mapped differently from what the ORM would return.
 */
export function plainRows<T extends object, Refs extends keyof T>(
  meta: EntityMetadata<T>,
  platform: Platform,
): PlainRows<PlainRecord<T, Refs>> {
  // Built once per entity (metadata belongs to one ORM, so to one platform), not on every request.
  let rows = built.get(meta) as PlainRows<PlainRecord<T, Refs>> | undefined;
  if (!rows) {
    rows = buildPlainRows<T, Refs>(meta, platform);
    built.set(meta, rows);
  }
  return rows;
}

const built = new WeakMap<object, unknown>();

function buildPlainRows<T extends object, Refs extends keyof T>(
  meta: EntityMetadata<T>,
  platform: Platform,
): PlainRows<PlainRecord<T, Refs>> {
  const columns: Column[] = [];
  for (const prop of meta.props) {
    if (prop.persist === false || prop.fieldNames?.length !== 1) continue;
    if (prop.kind !== 'scalar' && prop.kind !== 'm:1') continue;
    columns.push({
      column: prop.fieldNames[0]!,
      property: prop.name,
      convert: converterFor(prop, platform, meta.className),
      reference: prop.kind === 'm:1',
    });
  }
  return {
    columnsOf(properties) {
      const wanted = new Set(properties);
      return columns.filter((c) => wanted.has(c.property)).map((c) => c.column);
    },
    map(row) {
      const record: Record<string, unknown> = {};
      for (const { column, property, convert, reference } of columns) {
        if (!(column in row)) continue;
        const value = row[column];
        if (reference) record[property] = value == null ? null : { id: value };
        else record[property] = convert ? convert(value) : value;
      }
      return record as PlainRecord<T, Refs>;
    },
  };
}
