import { APP } from '../app';
export const HEALTH: unknown = APP;
