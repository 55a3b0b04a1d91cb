import { DataMoveError } from './data-move.errors';
import { fullName, type TableInfo } from './catalog';

/**
 * Orders tables so that every table comes after the tables it references (Kahn's algorithm, ties broken by
 * name so two runs always agree). The target keeps its foreign keys on while loading, so order matters.
 */
export function orderByForeignKeys(tables: TableInfo[]): TableInfo[] {
  for (const t of tables) {
    // Batches and resume are keyed by primary key; without one a table has no stable order to copy by.
    if (!t.key.length)
      throw new DataMoveError(
        `${fullName(t)} has no primary key: the data move copies and checks tables in primary-key order`,
      );
  }
  const byName = new Map(tables.map((t) => [t.name, t]));
  const pending = new Map(tables.map((t) => [t.name, t.references.filter((r) => byName.has(r))]));
  const ordered: TableInfo[] = [];
  while (pending.size) {
    const ready = [...pending.entries()]
      .filter(([, refs]) => refs.every((r) => !pending.has(r)))
      .map(([name]) => name)
      .sort();
    if (!ready.length)
      throw new DataMoveError(
        `foreign keys form a cycle between ${[...pending.keys()].map((n) => fullName(byName.get(n)!)).join(', ')}: ` +
          `the data move loads tables one after the other and cannot order these`,
      );
    for (const name of ready) {
      ordered.push(byName.get(name)!);
      pending.delete(name);
    }
  }
  return ordered;
}
