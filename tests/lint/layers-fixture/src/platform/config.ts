import { VOCABULARY } from '../shared/vocabulary';
export const CONFIG: unknown = VOCABULARY;
