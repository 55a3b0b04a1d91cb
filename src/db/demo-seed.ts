import { seedDataDemo } from '../data/data.seed';
import { seedPrimaryDemo } from '../primary/primary.seed';
import type { Databases } from './databases';

/** Seeds both domains' demo data, each through its own EntityManager. */
export async function seedDemoData(dbs: Databases): Promise<void> {
  await seedPrimaryDemo(dbs.orms.primary.em.fork());
  await seedDataDemo(dbs.orms.data.em.fork());
}
