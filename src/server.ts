import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import type { AppConfig } from './shared/config';
import type { Logger } from './shared/logger';
import type { Databases } from './db/databases';
import { buildContext, type GatewayContext, type GatewayServices } from './graphql/context';
import { createErrorFormatter } from './graphql/format-error';
import { buildGatewaySchema } from './graphql/schema';
import { checkHealth } from './http/health';
import { httpExchange } from './http/http-exchange';
import { authenticate } from './primary/auth/authenticate';
import { graphqlUploadExpress } from './shared/graphql/upload';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface GatewayDeps {
  config: AppConfig;
  dbs: Databases;
  logger: Logger;
  services: GatewayServices;
}

export interface Gateway {
  url: string;
  server: http.Server;
  stop(): Promise<void>;
}

/** Builds Apollo and Express on one HTTP server: /graphql, /health, /health/live. */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config, dbs, logger, services } = deps;
  const dev = config.env === 'development';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const server = http.createServer(app);

  const apollo = new ApolloServer<GatewayContext>({
    schema: await buildGatewaySchema(),
    formatError: createErrorFormatter(logger, dev),
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      config.env === 'production'
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
    ],
  });
  await apollo.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health', async (_req, res) => {
    const report = await checkHealth(dbs, () => services.primary.sessionCache.stats());
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });
  app.use(
    '/graphql',
    // Multipart uploads (GraphQL multipart request spec); other requests pass through to express.json.
    // Apollo's CSRF prevention still applies: clients send `apollo-require-preflight: true`.
    graphqlUploadExpress({ maxFileSize: config.importMaxFileBytes, maxFiles: 1 }),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        buildContext({
          dbs,
          services,
          viewer: await authenticate(
            { authorization: req.headers.authorization, cookie: req.headers.cookie },
            services.primary,
            () => dbs.orms.primary.em.fork() as EntityManager,
          ),
          http: httpExchange(req, res, !dev && config.env !== 'test'),
          requestId: (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
        }),
    }),
  );

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    url: `http://${host}:${port}/graphql`,
    server,
    stop: () => apollo.stop(),
  };
}
