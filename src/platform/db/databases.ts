import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DomainName } from '../domains';
import type { StatementCounter } from './statement-counter';

export type DbMode = 'single' | 'split';

export interface DatabaseUrls {
  mode: DbMode;
  primary: string;
  data: string;
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
