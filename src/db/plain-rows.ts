import type { EntityMetadata } from '@mikro-orm/core';

/** An entity's row as plain data: scalar properties by name, each many-to-one relation as `{ id }`. */
export type PlainRecord<T, Refs extends keyof T> = Omit<T, Refs> & { [K in Refs]: { id: string } };

type RowMapper<R> = (row: Record<string, unknown>) => R;

/**
 * Maps raw rows of one entity's table to plain objects, for read-only lists served straight to GraphQL:
 * no identity map, no change-tracking snapshot, no reference wiring per row (what `em.map` does, and the
 * bulk of the CPU and garbage of a 1,000-row nested page). Values are taken as the `pg` driver parsed
 * them, so an entity with a property that needs a custom type's conversion is refused rather than
 * mapped differently from what the ORM would return.
 */
export function plainRowMapper<T extends object, Refs extends keyof T>(
  meta: EntityMetadata<T>,
): RowMapper<PlainRecord<T, Refs>> {
  const columns: Array<[column: string, property: string, reference: boolean]> = [];
  for (const prop of meta.props) {
    if (prop.persist === false || prop.fieldNames?.length !== 1) continue;
    if (prop.kind !== 'scalar' && prop.kind !== 'm:1') continue;
    if (prop.customType) throw new Error(`${meta.className}.${prop.name} needs its type's conversion`);
    columns.push([prop.fieldNames[0]!, prop.name, prop.kind === 'm:1']);
  }
  return (row) => {
    const record: Record<string, unknown> = {};
    for (const [column, property, reference] of columns) {
      const value = row[column];
      record[property] = reference ? (value == null ? null : { id: value }) : value;
    }
    return record as PlainRecord<T, Refs>;
  };
}
