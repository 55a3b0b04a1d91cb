import { CARRIERS } from '../data/carriers';
export const USERS: unknown = CARRIERS;
