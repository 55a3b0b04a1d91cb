import { registerEnumType } from 'type-graphql';

/** How a sort key's cursor value is checked and compared. */
export type SortKeyType = 'text' | 'timestamp';

/**
 * One way a list can be ordered: by a sort key then the id, both in the same direction, so that every
 * row has one position and a keyset `(key, id) > (cursor)` is one index range. Timestamps used as sort
 * keys are stored to the millisecond (timestamptz(3)), the precision a cursor carries.
 */
export interface Ordering<T = unknown> {
  /** The enum value, e.g. NAME_ASC; cursors carry it, so a cursor is only valid for its own ordering. */
  name: string;
  /** The entity property sorted on; null sorts by id alone. */
  property: (keyof T & string) | null;
  /** The column of that property, for plain SQL (nested lists). */
  column: string | null;
  type: SortKeyType;
  direction: 'asc' | 'desc';
}

export interface SortKey<T> {
  property: keyof T & string;
  column: string;
  type: SortKeyType;
  /** What the key is, for the enum values' descriptions: "the name". */
  label: string;
}

export interface Orderings<T> {
  /** The GraphQL enum, as type-graphql takes it: value names to themselves. */
  readonly enum: Record<string, string>;
  readonly default: Ordering<T>;
  /** The ordering an `orderBy` argument names; the default when it is left out. */
  get(name: string | null | undefined): Ordering<T>;
}

/**
 * Registers `<Type>Order` with KEY_ASC and KEY_DESC for each sort key, and returns the orderings by
 * name. The enum only holds names this list can sort by, so an unknown one is a validation error.
 */
export function defineOrderings<T>(
  typeName: string,
  keys: Record<string, SortKey<T>>,
  defaultName: string,
): Orderings<T> {
  const byName = new Map<string, Ordering<T>>();
  const valuesConfig: Record<string, { description: string }> = {};
  for (const [key, sortKey] of Object.entries(keys)) {
    for (const direction of ['asc', 'desc'] as const) {
      const name = `${key}_${direction.toUpperCase()}`;
      byName.set(name, { name, direction, ...sortKey });
      const way =
        sortKey.type === 'timestamp'
          ? direction === 'asc'
            ? 'oldest first'
            : 'newest first'
          : direction === 'asc'
            ? 'A to Z'
            : 'Z to A';
      valuesConfig[name] = { description: `By ${sortKey.label}, ${way}; ties by id.` };
    }
  }
  const fallback = byName.get(defaultName);
  if (!fallback) throw new Error(`${typeName}Order: no ordering ${defaultName}`);
  const enumObject = Object.fromEntries([...byName.keys()].map((name) => [name, name]));
  registerEnumType(enumObject, {
    name: `${typeName}Order`,
    description: `How a list of ${typeName} items is ordered (default ${defaultName}); cursors keep their ordering.`,
    valuesConfig,
  });
  return {
    enum: enumObject,
    default: fallback,
    get: (name) => (name == null ? fallback : (byName.get(name) ?? fallback)),
  };
}
