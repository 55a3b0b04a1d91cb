import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { projectRoot } from '../../src/platform/paths';

const REASONS = new Set(['cross-database', 'absent']);

/** The table of docs/CLIENTS.md ("Nullability"): field coordinate to reason. */
function documentedNullable(): Map<string, string> {
  const doc = readFileSync(path.join(projectRoot, 'docs', 'CLIENTS.md'), 'utf8');
  const section = doc.slice(
    doc.indexOf('## Nullability'),
    doc.indexOf('\n## ', doc.indexOf('## Nullability') + 1),
  );
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `(\w+\.\w+)` +\| ([\w-]+) +\|/gm)) rows.set(match[1]!, match[2]!);
  return rows;
}

function outputFields(schema: GraphQLSchema) {
  return Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__') && (isObjectType(t) || isInterfaceType(t)))
    .flatMap((t) =>
      Object.values(
        (t as { getFields(): Record<string, { name: string; type: GraphQLOutputType }> }).getFields(),
      ).map((f) => ({ parent: t.name, coordinate: `${t.name}.${f.name}`, type: f.type })),
    );
}

/** Nullable list items, anywhere in a field's type. */
function hasNullableItems(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (!isListType(inner)) return false;
  return !isNonNullType(inner.ofType) || hasNullableItems(inner.ofType);
}

describe('nullability by rule (docs/CLIENTS.md, "Nullability")', () => {
  const schema = buildSchema(readFileSync(path.join(projectRoot, 'schema', 'schema.graphql'), 'utf8'));
  const fields = outputFields(schema);
  const documented = documentedNullable();

  it('reads a table from the docs, with a known reason on every row', () => {
    expect(documented.size).toBeGreaterThan(10);
    for (const [coordinate, reason] of documented) {
      expect({ coordinate, reason: REASONS.has(reason) ? 'known' : reason }).toEqual({
        coordinate,
        reason: 'known',
      });
    }
  });

  it('has every root Query field nullable, and every Mutation field non-null', () => {
    const query = fields.filter((f) => f.parent === 'Query');
    expect(query.filter((f) => isNonNullType(f.type)).map((f) => f.coordinate)).toEqual([]);
    const mutation = fields.filter((f) => f.parent === 'Mutation');
    expect(mutation.filter((f) => !isNonNullType(f.type)).map((f) => f.coordinate)).toEqual([]);
  });

  it('has exactly the documented fields nullable below the root', () => {
    const nullable = fields
      .filter((f) => f.parent !== 'Query' && f.parent !== 'Mutation' && !isNonNullType(f.type))
      .map((f) => f.coordinate)
      .sort();
    expect(nullable).toEqual([...documented.keys()].sort());
  });

  it('has non-null list items everywhere but nodes(ids:)', () => {
    expect(fields.filter((f) => hasNullableItems(f.type)).map((f) => f.coordinate)).toEqual(['Query.nodes']);
  });
});
