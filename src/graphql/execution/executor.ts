import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  execute,
  printSchema,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import type { Logger } from '../../platform/logger';
import type { GatewayContext } from '../context';
import { likeGraphqlJs } from './graphql-js-errors';

/** GRAPHQL_EXECUTOR: `jit` compiles queries (mutations and subscriptions stay on graphql-js); `graphql-js` runs all. */
export type ExecutorKind = 'jit' | 'graphql-js';

// Apollo's types for its one executor hook, taken from its options so no second package is imported.
type Gateway = ApolloServerOptionsWithGateway<GatewayContext>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
/** What Apollo hands the executor: the parsed, validated document, its operation, the context. */
export type ExecutorRequest = Parameters<Executor>[0];

/** Documents kept compiled; past it the least recently used is dropped (and compiled again if it returns). */
export const COMPILED_DOCUMENTS = 500;

/** A document that would not compile, or whose compiled code failed: it runs on graphql-js from then on. */
const INTERPRET = 'graphql-js' as const;

export type Compile = (
  schema: GraphQLSchema,
  document: ExecutorRequest['document'],
  operationName: string | undefined,
) => CompiledQuery | ExecutionResult;

export interface ExecutionStats {
  /** Requests answered by compiled code. */
  compiled: number;
  /**
   * Requests run on graphql-js: mutations, subscriptions, introspection only, unresolved operations,
   * fallbacks, or all of them (graphql-js).
   */
  interpreted: number;
  /** Documents that did not compile (each counted once while it stays cached). */
  compileFailures: number;
  /** Compiled runs whose variables did not coerce, answered again by graphql-js for its errors. */
  variableFallbacks: number;
  /** Documents currently cached. */
  cachedDocuments: number;
}

export interface QueryExecutor {
  kind: ExecutorKind;
  /** For Apollo's `gateway` option: the only hook Apollo Server 5 has for its executor. */
  gateway: Gateway;
  stats(): ExecutionStats;
}

/**
 * Runs the operations Apollo has parsed and validated. Everything before and after execution is Apollo's
 * as with a plain `schema`: plugins, validation rules, the context, formatError, the HTTP status. What
 * the gateway option changes: Apollo ignores its own `fieldResolver` and `rootValue` (neither is set
 * here) and serves single results only (graphql 16 has no incremental delivery to serve).
 *
 * Queries run compiled by graphql-jit, each document compiled once and cached per text and operation
 * name. Mutations and subscriptions stay on graphql-js: a mutation's cost is its database work, not its
 * execution, and writes keep the reference implementation the mutation tests pin (docs/ARCHITECTURE.md,
 * "Execution"). Introspection, a document that does not compile, and a request whose variables do not
 * coerce (graphql-js reports those with the `nodes` Apollo needs to answer 400) run on graphql-js too.
 */
export function createQueryExecutor(options: {
  schema: GraphQLSchema;
  kind: ExecutorKind;
  logger: Logger;
  /** The compiler; graphql-jit's unless a test stands in a failing one. */
  compile?: Compile;
  capacity?: number;
}): QueryExecutor {
  const { schema, kind, logger } = options;
  const compile: Compile = options.compile ?? ((s, d, name) => compileQuery(s, d, name));
  // Bounded: a client sending a new document every time must not grow the process.
  const documents = new LRUCache<string, CompiledQuery | typeof INTERPRET>({
    max: options.capacity ?? COMPILED_DOCUMENTS,
  });
  const counts = { compiled: 0, interpreted: 0, compileFailures: 0, variableFallbacks: 0 };

  const interpret = (request: ExecutorRequest) => {
    counts.interpreted += 1;
    // As Apollo calls it without a gateway (rootValue and fieldResolver unset).
    return execute({
      schema,
      document: request.document,
      contextValue: request.context,
      variableValues: request.request.variables,
      operationName: request.request.operationName,
    });
  };

  const compiledFor = (request: ExecutorRequest): CompiledQuery | null => {
    const key = `${request.queryHash}\n${request.request.operationName ?? ''}`;
    let entry = documents.get(key);
    if (entry === undefined) {
      const result = safely(() => compile(schema, request.document, request.request.operationName));
      if (isCompiledQuery(result)) entry = result;
      else {
        counts.compileFailures += 1;
        entry = INTERPRET;
        logger.warn(
          { operation: request.operationName, queryHash: request.queryHash, reasons: reasons(result) },
          'query did not compile; it runs on graphql-js',
        );
      }
      documents.set(key, entry);
    }
    return entry === INTERPRET ? null : entry;
  };

  const executor: Executor = async (request) => {
    if (kind === 'graphql-js' || request.operation?.operation !== 'query') return interpret(request);
    if (onlyMetaFields(request.operation)) return interpret(request);
    const compiled = compiledFor(request);
    if (!compiled) return interpret(request);
    let result: ExecutionResult;
    try {
      result = await compiled.query(undefined, request.context, request.request.variables);
    } catch (err) {
      // Resolver errors never land here (they are field errors); this is the compiled code failing.
      logger.error(
        { err, operation: request.operationName, queryHash: request.queryHash },
        'compiled query failed; it runs on graphql-js from now on',
      );
      documents.set(`${request.queryHash}\n${request.request.operationName ?? ''}`, INTERPRET);
      return interpret(request);
    }
    // No `data` at all: the variables did not coerce and nothing ran. graphql-js gives the errors Apollo knows.
    if (!('data' in result)) {
      counts.variableFallbacks += 1;
      return interpret(request);
    }
    counts.compiled += 1;
    return likeGraphqlJs(result, schema, request.document, request.operation);
  };

  let loaded: ((schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void) | null =
    null;
  return {
    kind,
    gateway: {
      onSchemaLoadOrUpdate(callback) {
        loaded = callback;
        return () => {
          loaded = null;
        };
      },
      async load() {
        // One schema for the life of the process; Apollo derives its validation data from it here.
        loaded?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
        return { executor };
      },
      async stop() {},
    },
    stats: () => ({ ...counts, cachedDocuments: documents.size }),
  };
}

/**
 * An operation that asks only `__schema`, `__type` or `__typename`: introspection, sent once by a tool
 * (Sandbox, codegen) or a health probe. Compiling the full introspection query takes hundreds of
 * milliseconds and runs it no faster; a burst of one-off probes would each pay a compile.
 */
function onlyMetaFields(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'),
  );
}

function safely(run: () => CompiledQuery | ExecutionResult): CompiledQuery | ExecutionResult {
  try {
    return run();
  } catch (err) {
    return { errors: [err instanceof GraphQLError ? err : new GraphQLError(String(err))] };
  }
}

const reasons = (result: ExecutionResult) => (result.errors ?? []).map((e) => e.message);
