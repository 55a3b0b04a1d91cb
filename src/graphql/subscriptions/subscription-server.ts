import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import {
  createSourceEventStream,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import { createDataLoaders } from '../../data/data.loaders';
import type { Databases } from '../../platform/db/databases';
import { TooManyRequestsError, UnauthenticatedError } from '../../platform/errors/errors';
import type { Logger } from '../../platform/logger';
import { createPrimaryLoaders } from '../../primary/primary.loaders';
import type { HttpExchange } from '../../shared/permissions/viewer';
import type { GatewayContext, GatewayServices } from '../context';
import type { DocumentRules } from '../persisted/persisted-documents.middleware';
import { authenticateSocket, registryRevalidate, type SocketAuthDeps } from './socket-auth';
import { CloseCode, SocketRegistry, type SocketSession } from './socket-registry';
import { prepareOperation } from './subscribe-operation';

export interface SubscriptionLimits {
  maxSocketsPerUser: number;
  maxPerSocket: number;
  keepAliveMs: number;
}

export interface SubscriptionServerDeps {
  httpServer: http.Server;
  schema: GraphQLSchema;
  dbs: Databases;
  services: GatewayServices;
  logger: Logger;
  limits: SubscriptionLimits;
  persisted: DocumentRules;
  validationRules: readonly ValidationRule[];
  hideSchemaDetails: boolean;
  maxPayloadBytes: number;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

type Extra = { socket: WebSocket; request: IncomingMessage };

export interface SubscriptionServer {
  registry: SocketRegistry;
  /** Closes every socket (1001 Going away) and the WebSocket server. */
  dispose(): Promise<void>;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-transport-ws, the graphql-ws library) on the HTTP server's
 * own port and path, /graphql. A socket authenticates once, in connection_init; each subscription is
 * checked like an HTTP request; each event executes with a context of its own (fresh EntityManagers and
 * DataLoaders, and the socket's session as it is then), so no event is answered from an earlier one's cache.
 */
export function attachSubscriptions(deps: SubscriptionServerDeps): SubscriptionServer {
  const { services, dbs, logger, limits } = deps;
  const auth: SocketAuthDeps = { primary: services.primary, em: () => dbs.fork('primary'), logger };
  const registry = new SocketRegistry(registryRevalidate(auth), logger);
  const stopRevocations = services.primary.revocations.onRevocation((event) => registry.revoked(event));
  const sessions = new WeakMap<Context<Record<string, unknown>, Extra>, SocketSession>();
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => deps.formatError(e.toJSON(), e));

  const eventContext = (session: SocketSession, request: IncomingMessage): GatewayContext => {
    const primary = dbs.fork('primary');
    const data = dbs.fork('data');
    return {
      em: { primary, data },
      loaders: { primary: createPrimaryLoaders(primary), data: createDataLoaders(data) },
      viewer: session.viewer,
      authError: null,
      http: socketExchange(request),
      services,
      requestId: randomUUID(),
    };
  };
  const freshContexts = new WeakMap<object, () => GatewayContext>();

  const wss = new WebSocketServer({
    server: deps.httpServer,
    path: '/graphql',
    maxPayload: deps.maxPayloadBytes,
  });
  const server = useServer<Record<string, unknown>, Extra>(
    {
      schema: deps.schema,
      async onConnect(ctx) {
        const { socket, request } = ctx.extra;
        const generation = registry.generation;
        const outcome = await authenticateSocket(ctx.connectionParams, request, auth);
        if (!outcome.ok) {
          socket.close(outcome.code, outcome.reason);
          return false;
        }
        // Closed by the client while its session was looked up: onClose has run already, keep nothing.
        if (socket.readyState !== socket.OPEN) return false;
        if (registry.count(outcome.viewer.userId) >= limits.maxSocketsPerUser) {
          socket.close(
            CloseCode.TooManySockets,
            `Too many sockets: at most ${limits.maxSocketsPerUser} per user; close one first`,
          );
          return false;
        }
        const session: SocketSession = {
          credentials: outcome.credentials,
          viewer: outcome.viewer,
          close: (code, reason) => socket.close(code, reason),
        };
        registry.add(session);
        sessions.set(ctx, session);
        // A revocation while the session was being looked up would have missed this socket.
        if (registry.generation !== generation) void registry.check(session);
        return true;
      },
      onClose(ctx) {
        const session = sessions.get(ctx);
        if (session) registry.remove(session);
      },
      onSubscribe(ctx, _id, payload) {
        const session = sessions.get(ctx);
        if (!session) return [new UnauthenticatedError()]; // not acknowledged: graphql-ws closes it first
        // This one counts: graphql-ws registers it before asking.
        if (Object.keys(ctx.subscriptions).length > limits.maxPerSocket) {
          return [
            new TooManyRequestsError(
              `Too many subscriptions on this socket: at most ${limits.maxPerSocket}; complete one first, or open another socket.`,
            ),
          ];
        }
        const prepared = prepareOperation(payload, {
          schema: deps.schema,
          persisted: deps.persisted,
          validationRules: deps.validationRules,
          hideSchemaDetails: deps.hideSchemaDetails,
        });
        if (Array.isArray(prepared)) return prepared;
        const fresh = () => eventContext(session, ctx.extra.request);
        const contextValue = fresh();
        freshContexts.set(contextValue, fresh);
        return {
          schema: deps.schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      subscribe: (args) => subscribeEachWithItsContext(args, freshContexts.get(args.contextValue as object)),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: format(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wss,
    limits.keepAliveMs,
  );
  return {
    registry,
    async dispose() {
      stopRevocations();
      registry.stop();
      await server.dispose();
    },
  };
}

/**
 * graphql-js's subscribe, except that each event executes with a context of its own (graphql-js reuses
 * the subscribe's context for every event).
 */
async function subscribeEachWithItsContext(
  args: ExecutionArgs,
  fresh: (() => GatewayContext) | undefined,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const iterator = source[Symbol.asyncIterator]();
  const run = (payload: unknown) =>
    execute({ ...args, rootValue: payload, contextValue: fresh ? fresh() : args.contextValue });
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await iterator.next();
      return step.done ? step : { value: await run(step.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(err: unknown) {
      await iterator.return?.();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}

/** Resolvers that write cookies (login, logout) run over HTTP only; the socket refuses them anyway. */
function socketExchange(request: IncomingMessage): HttpExchange {
  const refuse = () => {
    throw new Error('cookies cannot be set over a WebSocket');
  };
  return { clientIp: request.socket.remoteAddress ?? 'unknown', setCookie: refuse, clearCookie: refuse };
}
