export const APP: unknown = 'app';
