import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import type { AppConfig } from './platform/config';
import type { Logger } from './platform/logger';
import type { Databases } from './platform/db/databases';
import { createContext, type GatewayContext, type GatewayServices } from './graphql/context';
import { createErrorFormatter } from './graphql/format-error';
import { buildGatewaySchema } from './graphql/schema';
import { checkHealth } from './http/health';
import { requestDeadline } from './http/request-deadline';
import { createMetrics, listenForMetrics, metricsEndpoint, type Metrics } from './http/metrics';
import { observabilityPlugin, requestRecorder } from './graphql/observability.plugin';
import { sessionSignalsPlugin } from './graphql/session-signals.plugin';
import { setUpTrustedDocuments } from './graphql/persisted/load';
import { OperationLabels } from './graphql/persisted/operation-labels';
import { queryLimitsRule } from './graphql/limits/query-limits';
import { createQueryExecutor, type QueryExecutor } from './graphql/execution/executor';
import { jsonErrorHandler } from './http/json-errors';
import { exportsRouter } from './http/exports/exports.router';
import { uploadsMiddleware } from './stitching/imports/uploads.middleware';
import { attachSubscriptions, type SubscriptionServer } from './graphql/subscriptions/subscription-server';

export interface GatewayDeps {
  config: AppConfig;
  dbs: Databases;
  logger: Logger;
  services: GatewayServices;
}

export interface Gateway {
  url: string;
  /** Where GET /metrics answers: on PORT, or on METRICS_PORT's own listener. */
  metricsUrl: string;
  server: http.Server;
  metrics: Metrics;
  /** GraphQL subscriptions over WebSocket on the same port and path. */
  subscriptions: SubscriptionServer;
  /** Runs what Apollo has validated: queries compiled (GRAPHQL_EXECUTOR=jit), mutations on graphql-js. */
  executor: QueryExecutor;
  stop(): Promise<void>;
}

/** Builds Apollo and Express on one HTTP server: /graphql, /health, /health/live, /exports (and /metrics). */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config, dbs, logger, services } = deps;
  const dev = config.env === 'development';
  // First: a bad manifest stops the start before anything listens.
  const trusted = setUpTrustedDocuments(config, logger);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const server = http.createServer(app);
  const cacheStats = () => services.primary.sessionCache.stats();
  const metrics = createMetrics(dbs, cacheStats, () => services.imports.load);
  const record = requestRecorder(logger, metrics, new OperationLabels(trusted.documents.operationNames));

  const schema = await buildGatewaySchema();
  const formatError = createErrorFormatter(logger, dev);
  const validationRules = [
    queryLimitsRule({ ...config.limits, defaultListSize: 10, maxIntrospectionDepth: 20 }),
  ];
  // Same port and path as HTTP; the same document rules and limits (src/graphql/subscriptions).
  const subscriptions = attachSubscriptions({
    httpServer: server,
    schema,
    dbs,
    services,
    logger,
    limits: config.subscriptions,
    persisted: {
      mode: trusted.mode,
      documents: trusted.documents,
      introspectionAdHoc: dev,
      maxTokens: config.limits.maxTokens,
    },
    validationRules,
    hideSchemaDetails: !dev,
    maxPayloadBytes: config.bodyLimitBytes,
    formatError,
  });

  const executor = createQueryExecutor({ schema, kind: config.executor, logger });
  const apollo = new ApolloServer<GatewayContext>({
    // Apollo's one hook for its executor (src/graphql/execution/executor.ts says what it changes).
    gateway: executor.gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT: it drains Apollo, then closes the listener and the ORMs in order.
    stopOnTerminationSignals: false,
    introspection: config.introspection && trusted.adHocTools,
    // APQ registers any text a client sends: in `require` mode that would be a way around the manifests.
    ...(trusted.mode === 'require' && { persistedQueries: false as const }),
    // No "Did you mean …?" suggestions outside development: they leak the schema when introspection is off.
    hideSchemaDetailsFromClientErrors: !dev,
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules,
    plugins: [
      // On stop: refuse new connections, let in-flight requests finish up to the grace period.
      ApolloServerPluginDrainHttpServer({
        httpServer: server,
        stopGracePeriodMillis: config.shutdownGraceMs,
      }),
      // The sockets are no HTTP requests to drain: on stop they are closed (1001 Going away).
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await subscriptions.dispose();
            },
          };
        },
      },
      observabilityPlugin(record),
      sessionSignalsPlugin(),
      // Nothing here sets cache hints and no CDN sits in front: the default cache-control plugin would
      // only wrap every field resolver (1,000s per nested page) to compute a policy nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      config.env === 'production' || !trusted.adHocTools
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
  });
  await apollo.start();

  // Every request's body has a deadline (the routes below never read one, but Node discards it to reuse
  // the connection, and that must not wait forever either).
  app.use(requestDeadline(config.requestTimeoutMs));
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health', async (_req, res) => {
    const report = await checkHealth(dbs, {
      cache: () => ({ ...cacheStats(), ttlSeconds: services.primary.sessionCache.effectiveTtlSeconds }),
      revocation: () => services.primary.revocations.health(),
      importChanges: () => ({
        listening: services.importFeed.listening,
        sockets: subscriptions.registry.size,
        subscriptions: services.importFeed.watchers,
      }),
    });
    const databasesUp = report.databases.primary.ok && report.databases.data.ok;
    res.status(databasesUp ? 200 : 503).json(report);
  });
  const serveMetrics = metricsEndpoint(metrics.registry, config.metrics.token);
  if (!config.metrics.listen) app.get('/metrics', serveMetrics);
  // CSV downloads in the import formats, authenticated like /graphql (docs/EXPORTS.md).
  app.use(
    exportsRouter({
      dbs,
      primary: services.primary,
      logger,
      concurrency: config.exportConcurrency,
      stallMs: config.requestTimeoutMs,
    }),
  );
  app.use(
    '/graphql',
    // Multipart uploads (GraphQL multipart request spec); other requests pass through to express.json.
    // Apollo's CSRF prevention still applies: clients send `apollo-require-preflight: true`.
    uploadsMiddleware({ maxFileSize: config.importMaxFileBytes, maxFiles: 1 }),
    express.json({ limit: config.bodyLimitBytes }),
    // Manifest ids become their documents; what is not trusted is refused (src/graphql/persisted/).
    trusted.middleware(record),
    expressMiddleware(apollo, {
      context: createContext({ dbs, services, logger, secureCookies: !dev && config.env !== 'test' }),
    }),
  );

  app.use(jsonErrorHandler(logger));

  // A slow client cannot hold a socket forever: headers within the timeout here, bodies per request kind in
  // requestDeadline (Node's requestTimeout would also cut off a large upload, or one waiting for its turn).
  server.requestTimeout = 0;
  server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const metricsListener =
    config.metrics.listen && (await listenForMetrics(serveMetrics, config.metrics.listen));
  const metricsUrl = metricsListener ? metricsListener.url : `http://${host}:${port}/metrics`;
  // Whether a token is required, never the token.
  logger.info({ url: metricsUrl, tokenRequired: config.metrics.token !== null }, 'metrics served');
  if (config.env === 'production' && !config.metrics.token && !config.metrics.listen)
    logger.warn(
      'GET /metrics is open on PORT: set METRICS_TOKEN or METRICS_PORT (docs/OPS_RUNBOOK.md, Metrics)',
    );
  return {
    url: `http://${host}:${port}/graphql`,
    metricsUrl,
    server,
    metrics,
    subscriptions,
    executor,
    async stop() {
      await apollo.stop();
      await metricsListener?.close();
    },
  };
}
