/** Writes schema/schema.graphql from the code: `npm run schema:emit`. A test fails when the file is stale. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildGatewaySchema, printGatewaySchema, SCHEMA_FILE } from '../graphql/schema';

buildGatewaySchema()
  .then((schema) => {
    writeFileSync(SCHEMA_FILE, printGatewaySchema(schema));
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
