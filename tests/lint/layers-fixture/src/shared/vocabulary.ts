import { USERS } from '../primary/users';
export const VOCABULARY: unknown = USERS;
