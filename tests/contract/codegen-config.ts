import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The client preset's options, as docs/CLIENTS.md's codegen.ts gives them to client authors (the contract
 * test checks that the two agree): sha256 document ids in persisted-documents.json, no `any` for a scalar.
 */
export const CLIENT_PRESET = {
  presetConfig: { persistedDocuments: true },
  config: {
    strictScalars: true,
    scalars: { DateTimeISO: 'string', Upload: 'File | Blob', ID: 'string' },
    enumsAsTypes: true,
    useTypeImports: true,
  },
} as const;

/** The codegen configuration of a client whose documents are the contract operations (absolute paths). */
export function contractCodegenConfig(paths: {
  schema: string;
  documents: string;
  outDir: string;
}): CodegenConfig {
  return {
    schema: paths.schema,
    documents: [paths.documents],
    silent: true,
    generates: {
      [`${paths.outDir}/`]: {
        preset: 'client',
        presetConfig: { ...CLIENT_PRESET.presetConfig },
        config: { ...CLIENT_PRESET.config, scalars: { ...CLIENT_PRESET.config.scalars } },
      },
    },
  };
}
