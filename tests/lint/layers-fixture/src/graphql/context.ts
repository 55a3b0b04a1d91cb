import { IMPORT_COMMAND } from '../cli/import';
export const CONTEXT: unknown = IMPORT_COMMAND;
