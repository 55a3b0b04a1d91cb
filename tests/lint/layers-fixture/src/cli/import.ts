// Allowed: stitching. Forbidden: the GraphQL layer.
import { IMPORTS } from '../stitching/imports';
import { CONTEXT } from '../graphql/context';
export const IMPORT_COMMAND: unknown = [IMPORTS, CONTEXT];
