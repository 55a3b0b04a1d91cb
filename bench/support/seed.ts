import { randomBytes } from 'node:crypto';
import type { Databases } from '../../src/platform/db/databases';
import { createUser } from '../../src/primary/users/user.service';

export interface CustomerSizes {
  organizations: number;
  facilitiesPerOrganization: number;
}

/**
 * Organizations and facilities in bulk with set-based SQL: going through the API would take minutes
 * at the larger sizes and measure the writes, not the reads under test. The rows satisfy the same
 * check constraints (slug format, upper-case codes, country code) as API-created ones.
 */
export async function seedCustomers(dbs: Databases, sizes: CustomerSizes): Promise<void> {
  const conn = dbs.orms.primary.em.getConnection();
  await conn.execute(
    `insert into "core"."organization" ("id", "name", "slug")
     select gen_random_uuid(), format('Bench Organization %s', lpad(i::text, 6, '0')), format('bench-org-%s', i)
       from generate_series(1, ?) i`,
    [sizes.organizations],
  );
  await conn.execute(
    `insert into "core"."facility" ("id", "organization_id", "code", "name", "address_line1", "city", "region",
                                     "postal_code", "country_code", "timezone")
     select gen_random_uuid(), o."id", format('F-%s', lpad(j::text, 3, '0')), format('Facility %s', j),
            '2200 W Cermak Rd', 'Chicago', 'IL', '60608', 'US', 'America/Chicago'
       from "core"."organization" o cross join generate_series(1, ?) j`,
    [sizes.facilitiesPerOrganization],
  );
  // Fresh statistics, so every server under test plans against the same, realistic numbers.
  await conn.execute('analyze "core"."organization", "core"."facility"');
}

export interface SignedIn {
  email: string;
  token: string;
}

/** An admin created through the user service and signed in through the API, the way a client would. */
export async function signInAdmin(dbs: Databases, gatewayUrl: string): Promise<SignedIn> {
  const email = `bench-admin-${randomBytes(4).toString('hex')}@example.com`;
  const password = randomBytes(18).toString('base64url');
  const em = dbs.fork('primary');
  await createUser(em, { email, name: 'Bench Admin', password, roleNames: ['admin'] });
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: email, p: password },
    }),
  });
  const body = (await res.json()) as { data?: { login?: { token: string } }; errors?: unknown };
  const token = body.data?.login?.token;
  if (!token) throw new Error(`bench admin login failed: ${JSON.stringify(body.errors)}`);
  return { email, token };
}
