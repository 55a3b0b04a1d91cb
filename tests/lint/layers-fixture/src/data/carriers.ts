import { USERS } from '../primary/users';
export const CARRIERS: unknown = typeof USERS;
