import { HEALTH } from '../http/health';
export const DATABASES: unknown = HEALTH;
