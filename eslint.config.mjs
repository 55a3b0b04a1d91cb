// @ts-check
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import graphqlPlugin from '@graphql-eslint/eslint-plugin';

const CODE = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'bench/results/**'] },
  // The TypeScript rules are scoped to code (a config's own narrower `files` kept): the GraphQL block at
  // the end lints the SDL with its own parser, which these rules cannot read.
  ...tseslint.configs.recommended.map((config) => (config.files ? config : { ...config, files: CODE })),
  {
    files: CODE,
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  // Decorated classes need runtime imports for emitted metadata, so type-only imports can't be forced there.
  {
    files: ['src/**/*.entity.ts', 'src/**/*.resolver.ts', 'src/**/*.inputs.ts', 'src/**/*.types.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  // Which layer may import which is checked by dependency-cruiser (.dependency-cruiser.cjs, npm run lint:layers).
  { files: ['src/cli/**', 'tests/**', 'bench/**', 'tools/**', '*.config.*'], rules: { 'no-console': 'off' } },
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { ...prettier, files: CODE },
  // The API contract, schema/schema.graphql (emitted by `npm run schema:emit`): descriptions on every kind,
  // naming, and the Relay rules that hold today. docs/CLIENTS.md lists the rules deferred and why.
  {
    files: ['schema/schema.graphql'],
    languageOptions: {
      parser: graphqlPlugin.parser,
      parserOptions: { graphQLConfig: { schema: 'schema/schema.graphql' } },
    },
    plugins: { '@graphql-eslint': graphqlPlugin },
    rules: {
      ...graphqlPlugin.configs['flat/schema-recommended'].rules,
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      // Types that are not entities carry no id (a cache stores them inside their parent); every other
      // object type must have `id: ID!`, which Apollo Client's cache normalizes on.
      '@graphql-eslint/strict-id-in-types': [
        'error',
        {
          acceptedIdNames: ['id'],
          acceptedIdTypes: ['ID'],
          exceptions: {
            types: [
              'DatabaseInfo',
              'DeliveryOption',
              'LaneChange',
              'LaneChangeSet',
              'PageInfo',
              'ServerInfo',
              'ServiceLaneChanges',
            ],
            suffixes: ['Connection', 'Edge', 'Payload'],
          },
        },
      ],
      '@graphql-eslint/relay-connection-types': 'error',
      // Every edge's node implements Node. Short bounded lists (carriers, roles, a carrier's services, delivery
      // options) stay plain lists, so lists of other types than edges are allowed.
      '@graphql-eslint/relay-edge-types': [
        'error',
        { withEdgeSuffix: true, shouldImplementNode: true, listTypeCanWrapOnlyEdgeType: false },
      ],
      '@graphql-eslint/relay-page-info': 'error',
      // Both directions on every connection: first/after and last/before.
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: true }],
    },
  },
);
