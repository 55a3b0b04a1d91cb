// @ts-check
/**
 * The layers of src/, lowest first; a layer imports only the layers below it (docs/ARCHITECTURE.md):
 *   platform     config, logger, paths, errors, database plumbing: nothing of the product
 *   shared       vocabulary both domains speak (permissions, geography, pagination, import status)
 *   primary|data the two domains: never each other
 *   stitching    what needs both domains at once (imports, facility delivery options)
 *   db           both ORMs, migrations, the embedded server, demo data
 *   graphql|http the API surface; cli and operations, the commands
 *   app.ts, server.ts, main.ts, startup.ts: the composition root, imported by no one but itself
 */
const ROOT_FILES = '^src/(app|server|main|startup)[.]ts$';
const below = (allowed) => `^src/(?!(${allowed.join('|')})/)[^/]+/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-imports-nothing-of-the-product',
      comment: 'src/platform is the bottom layer: config, logger, errors and database plumbing stand alone.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: [below(['platform']), ROOT_FILES] },
    },
    {
      name: 'shared-imports-only-platform',
      comment: 'src/shared is vocabulary both domains use; it builds on src/platform only.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: [below(['platform', 'shared']), ROOT_FILES] },
    },
    {
      name: 'primary-imports-only-platform-and-shared',
      comment: 'The primary domain never reaches the data domain (put cross-database code in src/stitching).',
      severity: 'error',
      from: { path: ['^src/primary/', '^migrations/primary/'] },
      to: { path: [below(['platform', 'shared', 'primary']), ROOT_FILES] },
    },
    {
      name: 'data-imports-only-platform-and-shared',
      comment: 'The data domain never reaches the primary domain (put cross-database code in src/stitching).',
      severity: 'error',
      from: { path: ['^src/data/', '^migrations/data/'] },
      to: { path: [below(['platform', 'shared', 'data']), ROOT_FILES] },
    },
    {
      name: 'stitching-imports-domains-not-the-api',
      comment:
        'src/stitching joins the two domains; the GraphQL/HTTP layer, the CLI and db wiring sit above it.',
      severity: 'error',
      from: { path: '^src/stitching/' },
      to: { path: [below(['platform', 'shared', 'primary', 'data', 'stitching']), ROOT_FILES] },
    },
    {
      name: 'db-wiring-below-the-api',
      comment:
        'src/db opens both ORMs; it may know the domains (entities, seeds), never the API or the commands.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: [below(['platform', 'shared', 'primary', 'data', 'db']), ROOT_FILES] },
    },
    {
      name: 'api-does-not-import-the-commands',
      comment:
        'The GraphQL and HTTP layer serves requests; the CLI and operations are separate entry points.',
      severity: 'error',
      from: { path: '^src/(graphql|http)/' },
      to: { path: ['^src/(cli|operations)/', ROOT_FILES] },
    },
    {
      name: 'commands-do-not-import-the-graphql-layer',
      comment:
        'Commands call services and stitching directly, never through resolvers or the composition root.',
      severity: 'error',
      // schema:emit writes the SDL, which is the GraphQL layer's to build.
      from: { path: '^src/(cli|operations)/', pathNot: '^src/cli/schema-emit[.]ts$' },
      to: { path: ['^src/graphql/', ROOT_FILES] },
    },
    {
      name: 'production-code-does-not-import-tests-or-bench',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tests|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
