import { randomBytes } from 'node:crypto';
import { createUser } from '../../src/primary/users/user.service';
import { fromGlobalId, toGlobalId } from '../../src/shared/graphql/global-id';
import { isUuid } from '../../src/platform/ids';
import type { TestApp } from './test-app';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  /** The row's uuid, for SQL; the API shows `globalId`. */
  id: string;
  globalId: string;
  email: string;
  token: string;
}

/** Creates a user with the given roles and signs in through the API, the way a client would. */
export async function signInAs(
  t: TestApp,
  roles: string[],
  email = `${roles.join('-') || 'none'}-${randomBytes(4).toString('hex')}@example.com`,
): Promise<TestUser> {
  const em = t.app.dbs.fork('primary');
  const user = await createUser(em, {
    email,
    name: `Test ${roles.join(' ')}`,
    password: TEST_PASSWORD,
    roleNames: roles,
  });
  const res = await t.gql<{ login: { token: string } }>(
    'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    { email, password: TEST_PASSWORD },
  );
  if (!res.data?.login) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
  return { id: user.id, globalId: toGlobalId('User', user.id), email, token: res.data.login.token };
}

/** The row's uuid behind a global id the API gave out (a uuid is its own), for tests that use SQL. */
export function uuidOf(globalId: string): string {
  if (isUuid(globalId)) return globalId;
  const decoded = fromGlobalId(globalId);
  if (!decoded) throw new Error(`not a global id: ${globalId}`);
  return decoded.uuid;
}

/** The global ids of roles by name, read through the API (mutations name roles by id). */
export async function roleIds(t: TestApp, token: string, names: string[]): Promise<string[]> {
  const res = await t.gql<{ roles: Array<{ id: string; name: string }> }>(
    '{ roles { id name } }',
    {},
    { token },
  );
  if (!res.data?.roles) throw new Error(`roles failed: ${JSON.stringify(res.errors)}`);
  return names.map((name) => {
    const role = res.data!.roles.find((r) => r.name === name);
    if (!role) throw new Error(`no role named ${name}`);
    return role.id;
  });
}
