/** Each domain lives in its own Postgres schema in both modes, so a split copies one schema to one database. */
export const DOMAIN_SCHEMAS = { primary: 'core', data: 'data' } as const;
export type DomainName = keyof typeof DOMAIN_SCHEMAS;
export const DOMAINS: readonly DomainName[] = ['primary', 'data'];
