/**
 * Adds a user from the command line:
 *   npm run user:create -- --email ops@example.com --name "Ops Person" --role operator
 * The password comes from USER_PASSWORD when set; otherwise a random one is generated and printed once.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { runCommand, withDatabases } from './with-databases';
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
  const { email, name } = values;
  if (!email || !name)
    throw new Error('usage: npm run user:create -- --email EMAIL --name NAME [--role ROLE ...]');
  await withDatabases(async ({ dbs }) => {
    const generated = process.env.USER_PASSWORD ? null : randomPassword();
    const password = process.env.USER_PASSWORD ?? generated!;
    const em = dbs.fork('primary');
    const user = await createUser(em, {
      email,
      name,
      password,
      roleNames: values.role ?? [],
    });
    console.log(`created ${user.email} (${user.id}) with roles: ${(values.role ?? []).join(', ') || 'none'}`);
    if (generated) console.log(`password (shown once): ${generated}`);
  });
}

runCommand(main);
