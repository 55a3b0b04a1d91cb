import { PrimaryInfoResolver } from './system/primary-info.resolver';

/** Every resolver class of the primary domain, in one list the schema builder takes. */
export const primaryResolvers = [PrimaryInfoResolver] as const;
