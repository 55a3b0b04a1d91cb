import type { MikroORM } from '@mikro-orm/postgresql';
import type { DomainName } from '../platform/domains';
import type { Databases } from '../platform/db/databases';

export interface MigrationReport {
  domain: DomainName;
  applied: string[];
}

export async function migrateDomain(orm: MikroORM, domain: DomainName): Promise<MigrationReport> {
  const applied = await orm.getMigrator().up();
  return { domain, applied: applied.map((m) => m.name) };
}

/** Primary always goes first: data never depends on it, but an operator reading the log expects this order. */
export async function migrateAll(dbs: Databases, only?: DomainName): Promise<MigrationReport[]> {
  const order: DomainName[] = only ? [only] : ['primary', 'data'];
  const reports: MigrationReport[] = [];
  for (const domain of order) reports.push(await migrateDomain(dbs.orms[domain], domain));
  return reports;
}
