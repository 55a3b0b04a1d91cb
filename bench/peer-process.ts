import http from 'node:http';
import Module from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type * as PostGraphile from 'postgraphile';
import { serveChild } from './support/child';

/**
 * The lockfile holds three copies of graphql for PostGraphile's modules: 15 under postgraphile/ and
 * under graphile-build-pg/, and our 16 at the root, which graphql-parse-resolve-info picks up. graphql
 * refuses to mix types from two copies ("Cannot use GraphQLScalarType "Int" from another module"), so
 * this process (which runs nothing of ours that uses graphql) points every require of graphql at
 * postgraphile's own copy. Bench-only: an npm override pinning one graphql 15 for PostGraphile fixes it.
 */
const sharedGraphql = path.join(
  path.dirname(require.resolve('postgraphile/package.json')),
  'node_modules',
  'graphql',
);
const GRAPHQL_DIR = `${path.sep}node_modules${path.sep}graphql${path.sep}`;
const resolver = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
const resolveFilename = resolver._resolveFilename;
resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
  const resolved = resolveFilename.call(this, request, ...rest);
  const at = resolved.lastIndexOf(GRAPHQL_DIR);
  if (at === -1 || resolved.startsWith(sharedGraphql + path.sep)) return resolved;
  return path.join(sharedGraphql, resolved.slice(at + GRAPHQL_DIR.length));
};
// Loaded after the hook on purpose: PostGraphile must see the one graphql copy from its first require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postgraphile } = require('postgraphile') as typeof PostGraphile;

export interface PeerChildOptions {
  kind: 'postgraphile' | 'raw';
  /** The primary database: both peers read schema `core`, the same tables our gateway serves. */
  databaseUrl: string;
  poolMax: number;
}

/** Every statement a peer sends, as the ORM's StatementCounter would count it: transaction control excluded. */
let statements = 0;
const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  if (!TRANSACTION_CONTROL.test(text)) statements += 1;
  return originalQuery.apply(this, args);
} as typeof pg.Client.prototype.query;

/**
 * The raw baseline: one hand-written statement that builds the exact JSON our gateway answers with
 * (organizations by name, each with its first 20 facilities by code, the connection's default page),
 * sent to the client as is.
 */
const NESTED_SQL = `
select json_build_object('data', json_build_object('organizations', json_build_object('edges',
  coalesce(json_agg(json_build_object('node', json_build_object('facilities', json_build_object('edges', (
    select coalesce(json_agg(json_build_object('node', json_build_object('code', f.code,
                      'organization', json_build_object('name', o.name))) order by f.code, f.id), '[]')
      from (select code, id from core.facility where organization_id = o.id order by code, id limit 20) f
  )))) order by o.name, o.id), '[]'))))::text as body
from (select id, name from core.organization order by name, id limit $1) o`;

function rawHandler(pool: pg.Pool): http.RequestListener {
  return (req, res) => {
    // The body is read and ignored: the baseline answers the one query shape the scenario sends.
    req.resume();
    req.on('end', () => {
      pool.query<{ body: string }>(NESTED_SQL, [50]).then(
        ({ rows }) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(rows[0]!.body);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: err.message }] }));
        },
      );
    });
  };
}

function postgraphileHandler(pool: pg.Pool): http.RequestListener {
  // Library mode with the options its docs recommend for production: no watch, no GraphiQL, no query log.
  return postgraphile(pool, 'core', {
    graphqlRoute: '/graphql',
    graphiql: false,
    watchPg: false,
    disableQueryLog: true,
    disableDefaultMutations: true,
    dynamicJson: true,
    setofFunctionsContainNulls: false,
    retryOnInitFail: false,
  });
}

serveChild(async (options: PeerChildOptions) => {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax });
  const handler = options.kind === 'raw' ? rawHandler(pool) : postgraphileHandler(pool);
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    statements: () => ({ primary: statements, data: 0 }),
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
});
