import { GraphQLScalarType } from 'graphql';
import type { FileUpload, graphqlUploadExpress as UploadMiddleware } from 'graphql-upload-minimal';

/*
 * graphql-upload-minimal ships CommonJS with its own typings; a plain require keeps it out of the ESM
 * loader (graphql-upload 17 is ESM-only without types, 18 needs graphql 17), and the typeof imports
 * keep the strict types.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const upload = require('graphql-upload-minimal') as {
  GraphQLUpload: GraphQLScalarType;
  graphqlUploadExpress: typeof UploadMiddleware;
  Upload: new () => { promise: Promise<FileUpload> };
};

/**
 * The `Upload` scalar of the GraphQL multipart request spec; an argument of this type is a Promise<FileUpload>.
 * A copy of the library's scalar (same parsing) that names the spec it follows (`@specifiedBy`), so a typed
 * client (graphql-codegen with `strictScalars` must map every custom scalar) knows what it maps.
 */
export const UploadScalar = new GraphQLScalarType({
  ...upload.GraphQLUpload.toConfig(),
  description:
    'A file sent as a part of a multipart/form-data request (the GraphQL multipart request spec), not in ' +
    "JSON: the operation's variable is null and the request's `map` part points the file at it. One file " +
    'per request, at most IMPORT_MAX_FILE_MB (512 MB by default).',
  specifiedByURL: 'https://github.com/jaydenseric/graphql-multipart-request-spec',
});
export const graphqlUploadExpress = upload.graphqlUploadExpress;
/** What the multipart middleware puts in the operation's variables for each file, before GraphQL runs. */
export const UploadPlaceholder = upload.Upload;
export type { FileUpload };
