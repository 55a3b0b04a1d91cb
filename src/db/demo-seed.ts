import { seedDataDemo } from '../data/data.seed';
import { seedPrimaryDemo } from '../primary/primary.seed';
import type { Databases } from '../platform/db/databases';

/** Seeds both domains' demo data, each through its own EntityManager. */
export async function seedDemoData(dbs: Databases): Promise<void> {
  await seedPrimaryDemo(dbs.fork('primary'));
  await seedDataDemo(dbs.fork('data'));
}
