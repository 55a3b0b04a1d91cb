import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DomainName } from '../domains';
import type { StatementCounter } from './statement-counter';

export type DbMode = 'single' | 'split';

export interface DatabaseUrls {
  mode: DbMode;
  /** The URLs request traffic uses (through a transaction pooler, in production). */
  primary: string;
  data: string;
  /** Direct (session) URLs for LISTEN, migrations and data moves; absent: the pooled URL. */
  direct?: Partial<Record<DomainName, string>>;
}

/** The URL for work that needs a whole session of its own (LISTEN, migrations, advisory locks). */
export function directUrl(urls: DatabaseUrls, domain: DomainName): string {
  return urls.direct?.[domain] ?? urls[domain];
}

/** The two ORMs. Request code never uses these directly: it gets forked EntityManagers from the context. */
export interface Databases {
  mode: DbMode;
  orms: Record<DomainName, MikroORM>;
  counter: StatementCounter;
  /** A new EntityManager of one domain, with its own identity map (one per request, job or command). */
  fork(domain: DomainName): EntityManager;
  close(): Promise<void>;
}
