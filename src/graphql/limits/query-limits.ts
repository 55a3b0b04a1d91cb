import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** Assumed length of a list that no `first` argument bounds. */
  defaultListSize: number;
  /** Depth allowed under the real introspection fields, whose shape (ofType chains) runs deep. */
  maxIntrospectionDepth: number;
}

export const LimitCode = {
  Depth: 'QUERY_TOO_DEEP',
  Aliases: 'TOO_MANY_ALIASES',
  Cost: 'QUERY_TOO_COMPLEX',
  Tokens: 'TOO_MANY_TOKENS',
} as const;

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

const INFINITE: Measure = { depth: Infinity, aliases: Infinity, cost: Infinity };

class Meter {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly limits: QueryLimits,
  ) {}

  /**
   * Depth, aliases and an estimated cost of a selection set. A list field multiplies its subtree by the
   * nearest `first` above it (a connection's edges) or by the default list size. Fragment spreads are
   * expanded; a cycle is infinite. Nothing is skipped because of a name chosen by the client.
   */
  measure(
    set: SelectionSetNode,
    type: GraphQLCompositeType | null,
    pageSize: number | null,
    seen: Set<string>,
  ): Measure {
    const total: Measure = { depth: 0, aliases: 0, cost: 0 };
    for (const sel of set.selections) {
      let inner: Measure;
      if (sel.kind === Kind.FIELD) {
        const def =
          type && (isObjectType(type) || isInterfaceType(type))
            ? type.getFields()[sel.name.value]
            : undefined;
        const first = sel.arguments?.find((a) => a.name.value === 'first')?.value;
        // A variable page size is costed at the cap: its value is unknown at validation time.
        const ownPage = first ? (first.kind === Kind.INT ? Number(first.value) : 100) : null;
        const isList = def ? isListType(getNullableType(def.type)) : false;
        const childType = def ? getNamedType(def.type) : null;
        let child: Measure = { depth: 0, aliases: 0, cost: 0 };
        if (sel.selectionSet) {
          const nextPage = ownPage ?? (isList ? null : pageSize);
          child = this.measure(
            sel.selectionSet,
            childType && isCompositeType(childType) ? childType : null,
            nextPage,
            seen,
          );
        }
        const multiplier = isList ? Math.max(1, pageSize ?? this.limits.defaultListSize) : 1;
        inner = {
          depth: child.depth + 1,
          aliases: child.aliases + (sel.alias ? 1 : 0),
          cost: 1 + child.cost * multiplier,
        };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? this.schema.getType(sel.typeCondition.name.value) : type;
        inner = this.measure(sel.selectionSet, cond && isCompositeType(cond) ? cond : type, pageSize, seen);
      } else {
        const name = sel.name.value;
        if (seen.has(name)) return INFINITE;
        const fragment = this.fragments.get(name);
        const cond = fragment ? this.schema.getType(fragment.typeCondition.name.value) : null;
        inner = fragment
          ? this.measure(
              fragment.selectionSet,
              cond && isCompositeType(cond) ? cond : null,
              pageSize,
              new Set([...seen, name]),
            )
          : total;
        if (!fragment) continue;
      }
      total.depth = Math.max(total.depth, inner.depth);
      total.aliases += inner.aliases;
      total.cost += inner.cost;
    }
    return total;
  }
}

export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const schema = context.getSchema();
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((f) => [f.name.value, f]),
    );
    const meter = new Meter(schema, fragments, limits);
    return {
      OperationDefinition(op) {
        const root =
          op.operation === 'mutation'
            ? schema.getMutationType()
            : op.operation === 'subscription'
              ? schema.getSubscriptionType()
              : schema.getQueryType();
        // Apollo re-codes validation errors as GRAPHQL_VALIDATION_FAILED; `limit` carries our code through.
        const report = (code: string, message: string) =>
          context.reportError(new GraphQLError(message, { nodes: [op], extensions: { limit: code } }));
        const regular: Measure = { depth: 0, aliases: 0, cost: 0 };
        for (const sel of op.selectionSet.selections) {
          const m = meter.measure(
            { kind: Kind.SELECTION_SET, selections: [sel] },
            root ?? null,
            null,
            new Set(),
          );
          // Only the real root fields __schema/__type get the introspection depth; their cost is in-memory.
          const introspection =
            sel.kind === Kind.FIELD && (sel.name.value === '__schema' || sel.name.value === '__type');
          if (introspection) {
            if (m.depth > limits.maxIntrospectionDepth)
              report(
                LimitCode.Depth,
                `The introspection query is ${m.depth} levels deep; the limit is ${limits.maxIntrospectionDepth}.`,
              );
            regular.aliases += m.aliases;
            continue;
          }
          regular.depth = Math.max(regular.depth, m.depth);
          regular.aliases += m.aliases;
          regular.cost += m.cost;
        }
        if (regular.depth > limits.maxDepth)
          report(
            LimitCode.Depth,
            `The query is ${regular.depth} levels deep; the limit is ${limits.maxDepth}.`,
          );
        if (regular.aliases > limits.maxAliases)
          report(
            LimitCode.Aliases,
            `The query uses ${regular.aliases} aliases; the limit is ${limits.maxAliases}.`,
          );
        if (regular.cost > limits.maxCost) {
          report(
            LimitCode.Cost,
            `The query's estimated cost is ${regular.cost}; the limit is ${limits.maxCost}. Ask for smaller pages or fewer nested lists.`,
          );
        }
      },
    };
  };
}
