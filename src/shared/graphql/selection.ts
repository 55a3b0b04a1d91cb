import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The fields of the selection sets, through inline fragments and fragment spreads, calling `onField` for
 * each. `@skip` / `@include` are not evaluated: a field they may drop is counted, so a caller that loads by
 * the result can only load more than needed, never less.
 */
function eachField(
  info: GraphQLResolveInfo,
  sets: Iterable<SelectionSetNode | undefined>,
  onField: (field: FieldNode) => void,
): void {
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) onField(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
}

/**
 * The names of the fields asked for on a resolver's result, or, given a path such as ['edges', 'node'],
 * on what lies at that path under it (every alias of each step counts).
 */
export function selectedFieldNames(info: GraphQLResolveInfo, path: readonly string[] = []): Set<string> {
  let sets: Array<SelectionSetNode | undefined> = info.fieldNodes.map((node) => node.selectionSet);
  for (const step of path) {
    const next: Array<SelectionSetNode | undefined> = [];
    eachField(info, sets, (field) => {
      if (field.name.value === step) next.push(field.selectionSet);
    });
    sets = next;
  }
  const names = new Set<string>();
  eachField(info, sets, (field) => names.add(field.name.value));
  return names;
}

/** The fields asked for on the nodes of a connection: `edges { node { … } }`. */
export function nodeFieldNames(info: GraphQLResolveInfo): Set<string> {
  return selectedFieldNames(info, ['edges', 'node']);
}
