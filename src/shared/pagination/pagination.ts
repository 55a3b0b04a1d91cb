import type { ClassType } from 'type-graphql';
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { BadUserInputError } from '../../platform/errors/errors';
import { decodeCursor, encodeCursor, type CursorPosition } from './cursor';
import type { Ordering } from './ordering';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Relay's connection arguments: first/after to page forward, last/before to page backward. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page forward: at most this many items after \`after\` (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Read the items after this cursor (an endCursor or edge cursor of the same list and orderBy).',
  })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: `Page backward: at most this many items before \`before\` (at most ${MAX_PAGE_SIZE}); not with first.`,
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Read the items before this cursor (a startCursor or edge cursor of the same list and orderBy).',
  })
  before?: string | null;
}

@ObjectType({
  description:
    "Where a connection's page starts and ends, and whether more items lie on either side (Relay's PageInfo).",
})
export class PageInfo {
  @Field({
    description:
      'True when items follow this page: pass endCursor as `after`. When paging backward, true whenever `before` was given.',
  })
  hasNextPage!: boolean;

  @Field({
    description:
      'True when items precede this page: pass startCursor as `before`. When paging forward, true whenever `after` was given.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The cursor of the page's first edge; null when the page is empty.",
  })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The cursor of the page's last edge; null when the page is empty.",
  })
  endCursor!: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  /** Counted only when a client selects it (see toConnection). */
  readonly totalCount: Promise<number>;
}

/** A Relay connection type for one node type: `<Name>Connection` with `<Name>Edge`. */
export function ConnectionType<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`, { description: `An edge of ${name}Connection: one ${name} and its cursor.` })
  class Edge {
    @Field({
      description:
        'Opaque position of this item in the list and its ordering; pass it as `after` or `before`.',
    })
    cursor!: string;

    @Field(() => node, { description: `The ${name} at this position.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    description: `A page of ${name} items (a Relay connection): first/after forward, last/before backward.`,
  })
  class ConnectionClass implements Connection<T> {
    @Field(() => [Edge], { description: "The page's items in list order; at most first (or last) of them." })
    edges!: Edge[];

    @Field(() => PageInfo, {
      description: 'Whether more items lie on either side, and the cursors to go on from.',
    })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Every item matching the filter, across all pages.' })
    totalCount!: Promise<number>;
  }
  return ConnectionClass;
}

/** A validated page: how many rows, which way, from where, in which ordering. */
export interface PageRequest<T = unknown> {
  limit: number;
  backward: boolean;
  /** The row position to start strictly after (in the direction of travel); null from the list's end. */
  cursor: CursorPosition | null;
  ordering: Ordering<T>;
}

function pageSize(value: number | null | undefined, arg: 'first' | 'last', max: number): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new BadUserInputError(arg, `must be between 1 and ${max}; got ${value}.`);
  }
  return value;
}

/**
 * Validates the connection arguments against one ordering. Forward (first/after) and backward
 * (last/before) do not mix: a page is read from one cursor in one direction. The caller fetches
 * limit + 1 rows to learn whether the page has a neighbour on that side.
 */
export function parsePageArgs<T>(args: PageArgs, ordering: Ordering<T>, max = MAX_PAGE_SIZE): PageRequest<T> {
  const first = pageSize(args.first, 'first', max);
  const last = pageSize(args.last, 'last', max);
  if (first != null && last != null) {
    throw new BadUserInputError('last', 'cannot be combined with first: page forward or backward, not both.');
  }
  const backward = last != null || (first == null && args.before != null);
  if (backward && args.after != null) {
    throw new BadUserInputError('after', 'belongs with first; page backward with last and before.');
  }
  if (!backward && args.before != null) {
    throw new BadUserInputError('before', 'belongs with last; page forward with first and after.');
  }
  const raw = backward ? args.before : args.after;
  return {
    limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE,
    backward,
    cursor: raw != null ? decodeCursor(raw, ordering, backward ? 'before' : 'after') : null,
    ordering,
  };
}

/**
 * An edge whose cursor is encoded when read: a nested page holds a thousand edges, and most clients ask
 * for the page's endCursor, not for each edge's.
 */
class Edge<T> {
  private encoded: string | undefined;

  constructor(
    readonly node: T,
    private readonly ordering: Ordering<T>,
  ) {}

  get cursor(): string {
    return (this.encoded ??= encodeCursor(this.ordering, this.node));
  }
}

/**
 * Turns the limit + 1 rows fetched in the direction of travel into a connection in list order. `count`
 * runs the first time `totalCount` is read, that is only when a client selects it: a full count of a
 * large table is often the most expensive statement of a page, and most pages never show it. Cursors,
 * too, are encoded only when read.
 */
export function toConnection<T>(
  rows: T[],
  page: PageRequest<T>,
  count: () => Promise<number>,
): Connection<T> {
  const more = rows.length > page.limit;
  const nodes = rows.slice(0, page.limit);
  if (page.backward) nodes.reverse();
  const edges = nodes.map((node) => new Edge(node, page.ordering));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: page.backward ? page.cursor != null : more,
      hasPreviousPage: page.backward ? more : page.cursor != null,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    get totalCount() {
      return (counted ??= count());
    },
  };
}
