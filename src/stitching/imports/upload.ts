import type { GraphQLScalarType } from 'graphql';
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

/** The `Upload` scalar of the GraphQL multipart request spec; an argument of this type is a Promise<FileUpload>. */
export const UploadScalar: GraphQLScalarType = upload.GraphQLUpload;
export const graphqlUploadExpress = upload.graphqlUploadExpress;
/** What the multipart middleware puts in the operation's variables for each file, before GraphQL runs. */
export const UploadPlaceholder = upload.Upload;
export type { FileUpload };
