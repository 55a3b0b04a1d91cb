// Allowed: both domains. Forbidden: the GraphQL layer above.
import { CARRIERS } from '../data/carriers';
import { USERS } from '../primary/users';
import { CONTEXT } from '../graphql/context';
export const IMPORTS: unknown = [CARRIERS, USERS, CONTEXT];
