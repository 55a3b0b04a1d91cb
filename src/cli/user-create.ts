/**
 * Adds a user from the command line:
 *   npm run user:create -- --email ops@example.com --name "Ops Person" --role operator
 * The password comes from USER_PASSWORD when set; otherwise a random one is generated and printed once.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../platform/config';
import { AppError } from '../platform/errors/errors';
import { openDatabases } from '../db/open-databases';
import { resolveTarget } from '../db/targets';
import { randomPassword } from '../primary/users/bootstrap';
import { createUser } from '../primary/users/user.service';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', multiple: true },
    },
  });
  if (!values.email || !values.name)
    throw new Error('usage: npm run user:create -- --email EMAIL --name NAME [--role ROLE ...]');
  loadDotEnv();
  const config = loadConfig();
  const target = await resolveTarget(config);
  const dbs = await openDatabases(target.urls, { pool: config.pool });
  try {
    const generated = process.env.USER_PASSWORD ? null : randomPassword();
    const password = process.env.USER_PASSWORD ?? generated!;
    const em = dbs.fork('primary');
    const user = await createUser(em, {
      email: values.email,
      name: values.name,
      password,
      roleNames: values.role ?? [],
    });
    console.log(`created ${user.email} (${user.id}) with roles: ${(values.role ?? []).join(', ') || 'none'}`);
    if (generated) console.log(`password (shown once): ${generated}`);
  } finally {
    await dbs.close();
    await target.embedded?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof AppError || err instanceof Error ? err.message : err);
  process.exit(1);
});
