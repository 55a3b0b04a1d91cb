import {
  GraphQLError,
  Kind,
  getNullableType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * A compiled query's errors as graphql-js reports them, so Apollo's formatter and formatError see what
 * they always saw:
 * - each error rebuilt as graphql-js builds it (graphql-jit's have no `extensions` object, which Apollo's
 *   formatter needs, and no original error for a null in a non-null field);
 * - one error per null that spread: when a non-null field fails, graphql-js nulls the nearest nullable
 *   parent and stops completing what lies under it (a list's other items), so a page of 20 facilities
 *   whose `organization` is FORBIDDEN answers one error, not 20. graphql-jit completes every item.
 */
export function likeGraphqlJs(
  result: ExecutionResult,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): ExecutionResult {
  if (!result.errors?.length) return result;
  let errors = result.errors.map(asGraphqlJsError);
  if (errors.length > 1)
    errors = onePerSpreadNull(errors, result.data, new TypeWalk(schema, document, operation));
  return { ...result, errors };
}

function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? new Error(error.message),
  });
  // graphql-js derives locations from AST nodes, which graphql-jit does not keep; it has the locations.
  if (error.locations)
    Object.defineProperty(rebuilt, 'locations', {
      value: error.locations,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return rebuilt;
}

type Path = ReadonlyArray<string | number>;

function onePerSpreadNull(errors: GraphQLError[], data: unknown, types: TypeWalk): GraphQLError[] {
  const spread = new Set<string>();
  return errors.filter((error) => {
    const path = error.path;
    // A failed nullable field is null where it stands: kept, as graphql-js reports each of those.
    if (!path || !types.isNonNull(path)) return true;
    const key = JSON.stringify(path.slice(0, nulledDepth(data, path)));
    if (spread.has(key)) return false;
    spread.add(key);
    return true;
  });
}

/** How many steps of the path the data follows before it is null (where the null stopped spreading). */
function nulledDepth(data: unknown, path: Path): number {
  let value = data;
  for (let depth = 0; depth < path.length; depth += 1) {
    if (value === null || typeof value !== 'object') return depth;
    value = (value as Record<string | number, unknown>)[path[depth]!];
  }
  return path.length;
}

/** The declared type at a response path, through aliases, fragments and lists. */
class TypeWalk {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly operation: OperationDefinitionNode,
  ) {
    for (const d of document.definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  isNonNull(path: Path): boolean {
    const root = this.schema.getRootType(this.operation.operation);
    let type: GraphQLOutputType | undefined = root ?? undefined;
    let sets: SelectionSetNode[] = [this.operation.selectionSet];
    for (const step of path) {
      if (!type) return false;
      const nullable = getNullableType(type);
      if (typeof step === 'number') {
        if (!isListType(nullable)) return false;
        type = nullable.ofType as GraphQLOutputType;
        continue;
      }
      const found = this.field(sets, nullable, step);
      if (!found) return false;
      type = found.type;
      sets = found.sets;
    }
    return type !== undefined && isNonNullType(type);
  }

  /** The field a response key names in these selection sets, on the type given or a fragment's type. */
  private field(sets: SelectionSetNode[], parent: GraphQLOutputType, key: string) {
    const matches: Array<{ node: FieldNode; on: string | undefined }> = [];
    const visit = (set: SelectionSetNode, on: string | undefined, seen: Set<string>) => {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if ((s.alias ?? s.name).value === key) matches.push({ node: s, on });
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          visit(s.selectionSet, s.typeCondition?.name.value ?? on, seen);
        } else if (!seen.has(s.name.value)) {
          const fragment = this.fragments.get(s.name.value);
          if (fragment)
            visit(fragment.selectionSet, fragment.typeCondition.name.value, new Set([...seen, s.name.value]));
        }
      }
    };
    for (const set of sets) visit(set, undefined, new Set());
    const first = matches[0];
    if (!first) return null;
    const owner = first.on ? this.schema.getType(first.on) : parent;
    const def =
      owner && (isObjectType(owner) || isInterfaceType(owner))
        ? owner.getFields()[first.node.name.value]
        : undefined;
    if (!def) return null;
    return {
      type: def.type,
      sets: matches.flatMap((m) => (m.node.selectionSet ? [m.node.selectionSet] : [])),
    };
  }
}
