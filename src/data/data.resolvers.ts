import { DataInfoResolver } from './system/data-info.resolver';

/** Every resolver class of the data domain, in one list the schema builder takes. */
export const dataResolvers = [DataInfoResolver] as const;
