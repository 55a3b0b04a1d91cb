import { readFileSync } from 'node:fs';
import { buildGatewaySchema, printGatewaySchema, SCHEMA_FILE } from '../../src/graphql/schema';

describe('schema/schema.graphql', () => {
  it('matches what the code builds (run `npm run schema:emit` after changing the API)', async () => {
    const built = printGatewaySchema(await buildGatewaySchema());
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(built);
  });
});
