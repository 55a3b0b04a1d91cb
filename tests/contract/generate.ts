/**
 * Runs graphql-codegen's `generate()` over the contract operations into the folder given; a document the
 * schema does not validate (or any other failure) exits 1 with codegen's message. A process of its own: @graphql-codegen/cli 7 loads ES modules (yargs, listr2)
 * that Node requires natively but jest's module loader cannot.
 *
 *   node -r @swc-node/register tests/contract/generate.ts <outDir>
 */
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { contractCodegenConfig } from './codegen-config';

const ROOT = path.resolve(__dirname, '..', '..');

async function main(outDir: string | undefined): Promise<void> {
  if (!outDir) throw new Error('usage: generate.ts <outDir>');
  await generate(
    contractCodegenConfig({
      schema: path.join(ROOT, 'schema', 'schema.graphql'),
      documents: path.join(__dirname, 'operations', '*.graphql'),
      outDir: path.resolve(outDir),
    }),
    true,
  );
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
