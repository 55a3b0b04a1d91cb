import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  buildSchema,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';
import { sha256Of } from '../../src/graphql/persisted/manifest';
import { createUser } from '../../src/primary/users/user.service';
import { toGlobalId } from '../../src/shared/graphql/global-id';
import { TEST_PASSWORD } from '../support/auth';
import { childEnv, PROJECT_ROOT } from '../support/gateway-process';
import { startTestApp, type TestApp } from '../support/test-app';
import { CLIENT_PRESET } from './codegen-config';
import { ManifestClient, operationOf } from './manifest-client';
import { typeCheck } from './typecheck';
import { openSocket } from '../support/subscriptions';

/**
 * The client contract: the operations a client writes (tests/contract/operations, one file per family)
 * go through graphql-codegen's client preset as docs/CLIENTS.md configures it, the generated code and a
 * consumer type-check under `strict`, and every generated persisted document runs by id against a real
 * gateway that trusts only the generated manifest (PERSISTED_DOCUMENTS=require).
 */

const SCHEMA = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');

/**
 * Root fields without a contract operation, each with the reason. Empty: every Query and Mutation field
 * has one. A new root field fails the coverage test until an operation uses it (or it is listed here).
 */
const NOT_COVERED: Record<string, string> = {};

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: Array<{ cursor: string; node: T }>;
}
interface Facility {
  id: string;
  code: string;
  name: string;
  addressLine2: string | null;
  postalCode: string | null;
  countryCode: string;
  version: number;
  createdAt: string;
  organization?: { id: string; name?: string; facilityCount?: number };
}
interface Organization {
  id: string;
  name: string;
  slug: string;
  version: number;
  createdAt: string;
  facilityCount: number;
  facilities?: Connection<Facility>;
}
interface User {
  id: string;
  email: string;
  name: string;
  isActive: boolean;
  lastLoginAt: string | null;
  permissions: string[];
  roles: Array<{ id: string; name: string }>;
}
interface Role {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: string[];
}
interface Carrier {
  id: string;
  code: string;
  name: string;
  isActive: boolean;
  services: Array<{ id: string; code: string; name: string }>;
}
interface Import {
  id: string;
  kind: string;
  status: string;
  fileName: string;
  rowsTotal: number;
  rowsImported: number;
  rowsRejected: number;
  createdAt: string;
  createdBy: { email: string } | null;
  errors?: {
    totalCount: number;
    edges: Array<{
      node: { id: string; ordinal: number; rowNumber: number; column: string; message: string };
    }>;
  };
  laneChanges?: Array<{
    service: { code: string; carrier: { code: string } };
    lanesBefore: number;
    lanesAfter: number;
    added: { count: number };
    removed: { count: number };
    changed: {
      count: number;
      examples: Array<{ transitDaysBefore: number | null; transitDaysAfter: number | null }>;
    };
  }> | null;
  run?: { id: string; status: string } | null;
}
interface DeliveryOption {
  transitDays: number;
  carrier: { code: string };
  service: { code: string };
}

const codesOf = (c: Connection<{ code: string }>) => c.edges.map((e) => e.node.code);
const namesOf = (c: Connection<{ name: string }>) => c.edges.map((e) => e.node.name);
const pageFlags = ({ pageInfo }: Connection<unknown>) => ({
  hasNextPage: pageInfo.hasNextPage,
  hasPreviousPage: pageInfo.hasPreviousPage,
});
const settled = (status: string | undefined) =>
  status === 'SUCCEEDED' || status === 'FAILED' || status === 'PREVIEWED';

/** `Type.field` of every root field an operation selects, through fragments and inline fragments. */
function rootFieldsOf(text: string): string[] {
  const document = parse(text, { noLocation: true });
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const operation = operationOf(text);
  const root =
    operation.operation === 'query'
      ? 'Query'
      : operation.operation === 'mutation'
        ? 'Mutation'
        : 'Subscription';
  const fields = (set: SelectionSetNode): string[] =>
    set.selections.flatMap((s) => {
      if (s.kind === Kind.FIELD) return s.name.value.startsWith('__') ? [] : [`${root}.${s.name.value}`];
      if (s.kind === Kind.INLINE_FRAGMENT) return fields(s.selectionSet);
      return fields(fragments.get(s.name.value)!.selectionSet);
    });
  return fields(operation.selectionSet);
}

describe('client contract: codegen client preset documents against a real gateway', () => {
  let dir: string;
  let generated: string;
  let manifest: Record<string, string>;
  let t: TestApp;
  let client: ManifestClient;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'contract-codegen-'));
    generated = path.join(dir, 'gql');
    // graphql-codegen 7 loads ES modules jest cannot: generate() runs in a Node process of its own.
    await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', path.join(__dirname, 'generate.ts'), generated],
      { cwd: PROJECT_ROOT, env: childEnv({}) },
    );
    const manifestFile = path.join(generated, 'persisted-documents.json');
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>;
    t = await startTestApp('split', {
      PERSISTED_DOCUMENTS: 'require',
      PERSISTED_DOCUMENTS_MANIFESTS: manifestFile,
    });
    client = new ManifestClient(t.url, manifest);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('generation', () => {
    it('writes the typed documents and a manifest of sha256 ids, one per operation', () => {
      expect(readdirSync(generated).sort()).toEqual([
        'fragment-masking.ts',
        'gql.ts',
        'graphql.ts',
        'index.ts',
        'persisted-documents.json',
      ]);
      for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${sha256Of(text)}`);
      const written = readdirSync(path.join(__dirname, 'operations'))
        .filter((f) => f.endsWith('.graphql'))
        .flatMap((f) => parse(readFileSync(path.join(__dirname, 'operations', f), 'utf8')).definitions)
        .flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name!.value] : []));
      expect([...client.idOf.keys()].sort()).toEqual([...written].sort());
      expect(new Set(written).size).toBe(written.length);
    });

    it('type-checks the generated code and a consumer of it under strict, with no error', () => {
      copyFileSync(path.join(__dirname, 'consumer.ts'), path.join(dir, 'consumer.ts'));
      const files = [
        path.join(dir, 'consumer.ts'),
        ...readdirSync(generated)
          .filter((f) => f.endsWith('.ts'))
          .map((f) => path.join(generated, f)),
      ];
      // Printed in full on failure: file(line,col): error TSxxxx: message.
      expect(typeCheck(files)).toBe('');
    });

    it('has an operation for every root Query and Mutation field, beside the commented exclusions', () => {
      const schema = buildSchema(readFileSync(SCHEMA, 'utf8'));
      const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
        (r): r is GraphQLObjectType => !!r,
      );
      const declared = roots.flatMap((r) => Object.keys(r.getFields()).map((f) => `${r.name}.${f}`));
      const used = new Set(Object.values(manifest).flatMap(rootFieldsOf));
      expect(declared.filter((f) => !used.has(f) && !(f in NOT_COVERED))).toEqual([]);
      expect(Object.keys(NOT_COVERED).filter((f) => used.has(f) || !declared.includes(f))).toEqual([]);
    });

    it("is configured as docs/CLIENTS.md's codegen.ts tells clients to configure theirs", () => {
      const docs = readFileSync(path.join(PROJECT_ROOT, 'docs', 'CLIENTS.md'), 'utf8');
      const block = /## codegen\.ts[^]*?```ts\n([^]*?)```/.exec(docs)?.[1] ?? '';
      const literal = (v: unknown): string =>
        typeof v === 'string'
          ? `'${v}'`
          : typeof v === 'object' && v !== null
            ? `{ ${Object.entries(v)
                .map(([k, x]) => `${k}: ${literal(x)}`)
                .join(', ')} }`
            : String(v);
      const options = { ...CLIENT_PRESET.presetConfig, ...CLIENT_PRESET.config };
      const lines = Object.entries(options).map(([key, value]) => `${key}: ${literal(value)}`);
      expect(lines.filter((line) => !block.includes(line))).toEqual([]);
      expect(block).toMatch(/preset: 'client'/);
    });
  });

  describe('every generated document, by id, in the order a client runs them', () => {
    const s = {} as {
      admin: User;
      dispatcher: Role;
      dana: User;
      acme: Organization;
      borealis: Organization;
      cascade: Organization;
      facilities: Record<string, Facility>;
      northwind: Carrier;
      imports: Record<'carriers' | 'matrix', Import>;
      runId: string;
    };

    it('signs in (SignIn) and reads the viewer (Me) by bearer token and by the session cookie', async () => {
      await createUser(t.app.dbs.fork('primary'), {
        email: 'ops.lead@example.com',
        name: 'Ops Lead',
        password: TEST_PASSWORD,
        roleNames: ['admin'],
      });
      const anonymous = await client.ok<{ me: User | null }>('Me', {}, { token: null });
      expect(anonymous.me).toBeNull();

      const signIn = await client.send<{ login: { token: string; expiresAt: string; user: User } }>(
        'SignIn',
        {
          email: 'Ops.Lead@example.com',
          password: TEST_PASSWORD,
        },
      );
      expect(signIn.errors).toBeUndefined();
      const { login } = signIn.data!;
      expect(new Date(login.expiresAt).getTime()).toBeGreaterThan(Date.now());
      expect(login.user).toMatchObject({ email: 'ops.lead@example.com', roles: [{ name: 'admin' }] });
      expect(login.user.permissions).toContain('imports:run');
      client.token = login.token;
      s.admin = login.user;

      const me = await client.ok<{ me: User }>('Me');
      expect(me.me).toMatchObject({ id: s.admin.id, email: 'ops.lead@example.com', isActive: true });
      expect(new Date(me.me.lastLoginAt!).getTime()).not.toBeNaN();
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
      expect(cookie).toMatch(/^gw_session=/);
      const byCookie = await client.ok<{ me: User }>('Me', {}, { token: null, headers: { cookie } });
      expect(byCookie.me.id).toBe(s.admin.id);
    });

    it('reads the server info (ServerInfo)', async () => {
      const { serverInfo } = await client.ok<{
        serverInfo: { version: string; mode: string; primaryDatabase: { schema: string } };
      }>('ServerInfo');
      expect(serverInfo).toMatchObject({ mode: 'split', primaryDatabase: { schema: 'core' } });
      expect(serverInfo.version).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('roles: lists the built-in ones, creates a custom one, reads and updates it', async () => {
      const { roles } = await client.ok<{ roles: Role[] }>('Roles');
      expect(roles.filter((r) => r.builtIn).map((r) => r.name)).toEqual(['admin', 'operator', 'viewer']);

      const created = await client.ok<{ createRole: Role }>('CreateRole', {
        input: {
          name: 'dispatcher',
          description: 'Plans pickups',
          permissions: ['organizations:read', 'facilities:read'],
        },
      });
      s.dispatcher = created.createRole;
      expect(s.dispatcher).toMatchObject({ name: 'dispatcher', builtIn: false });

      const read = await client.ok<{ role: Role }>('Role', { id: s.dispatcher.id });
      expect(read.role).toEqual(s.dispatcher);

      const updated = await client.ok<{ updateRole: Role }>('UpdateRole', {
        input: {
          id: s.dispatcher.id,
          description: 'Plans pickups and picks carriers',
          permissions: ['organizations:read', 'facilities:read', 'carriers:read'],
        },
      });
      expect(updated.updateRole).toMatchObject({
        id: s.dispatcher.id,
        description: 'Plans pickups and picks carriers',
      });
      expect([...updated.updateRole.permissions].sort()).toEqual([
        'carriers:read',
        'facilities:read',
        'organizations:read',
      ]);
    });

    it('users: creates one, reads, updates, sets its roles, pages both ways and deactivates it', async () => {
      const viewerRole = (await client.ok<{ roles: Role[] }>('Roles')).roles.find(
        (r) => r.name === 'viewer',
      )!;
      const created = await client.ok<{ createUser: User }>('CreateUser', {
        input: {
          email: 'Dana.Reyes@example.com',
          name: 'Dana Reyes',
          password: 'a long enough passphrase',
          roleIds: [viewerRole.id],
        },
      });
      s.dana = created.createUser;
      expect(s.dana).toMatchObject({ email: 'dana.reyes@example.com', isActive: true, lastLoginAt: null });
      expect(s.dana.roles.map((r) => r.name)).toEqual(['viewer']);

      expect((await client.ok<{ user: User }>('User', { id: s.dana.id })).user).toMatchObject({
        id: s.dana.id,
        name: 'Dana Reyes',
      });
      const renamed = await client.ok<{ updateUser: User }>('UpdateUser', {
        input: { id: s.dana.id, name: 'Dana Reyes-Okafor' },
      });
      expect(renamed.updateUser.name).toBe('Dana Reyes-Okafor');

      const roles = await client.ok<{ setUserRoles: User }>('SetUserRoles', {
        input: { id: s.dana.id, roleIds: [viewerRole.id, s.dispatcher.id] },
      });
      expect(roles.setUserRoles.roles.map((r) => r.name).sort()).toEqual(['dispatcher', 'viewer']);

      // EMAIL_ASC: dana.reyes@ before ops.lead@; one user a page, forward then backward.
      type Users = { users: Connection<User> };
      const first = await client.ok<Users>('Users', { first: 1, orderBy: 'EMAIL_ASC' });
      expect(first.users.edges.map((e) => e.node.email)).toEqual(['dana.reyes@example.com']);
      expect(first.users.totalCount).toBe(2);
      expect(pageFlags(first.users)).toEqual({ hasNextPage: true, hasPreviousPage: false });
      const second = await client.ok<Users>('Users', {
        first: 1,
        after: first.users.pageInfo.endCursor,
        orderBy: 'EMAIL_ASC',
      });
      expect(second.users.edges.map((e) => e.node.email)).toEqual(['ops.lead@example.com']);
      expect(pageFlags(second.users)).toEqual({ hasNextPage: false, hasPreviousPage: true });
      const last = await client.ok<Users>('Users', { last: 1, orderBy: 'EMAIL_ASC' });
      expect(last.users.edges.map((e) => e.node.email)).toEqual(['ops.lead@example.com']);
      expect(pageFlags(last.users)).toEqual({ hasNextPage: false, hasPreviousPage: true });
      const before = await client.ok<Users>('Users', {
        last: 1,
        before: last.users.pageInfo.startCursor,
        orderBy: 'EMAIL_ASC',
      });
      expect(before.users.edges.map((e) => e.node.email)).toEqual(['dana.reyes@example.com']);
      expect(pageFlags(before.users)).toEqual({ hasNextPage: true, hasPreviousPage: false });

      const searched = await client.ok<Users>('Users', { filter: { search: 'REYES', role: 'dispatcher' } });
      expect(searched.users.edges.map((e) => e.node.email)).toEqual(['dana.reyes@example.com']);

      const deactivated = await client.ok<{ deactivateUser: User }>('DeactivateUser', {
        input: { id: s.dana.id },
      });
      expect(deactivated.deactivateUser).toMatchObject({ id: s.dana.id, isActive: false });
    });

    it('organizations and facilities: creates them, updates with expectedVersion, reads one of each', async () => {
      const org = async (input: Record<string, unknown>) =>
        (await client.ok<{ createOrganization: Organization }>('CreateOrganization', { input }))
          .createOrganization;
      s.acme = await org({ name: 'Acme Logistics' });
      s.borealis = await org({ name: 'Borealis Freight' });
      s.cascade = await org({ name: 'Cascade Supply', slug: 'cascade' });
      expect(s.acme).toMatchObject({ slug: 'acme-logistics', version: 1, facilityCount: 0 });

      const renamed = await client.ok<{ updateOrganization: Organization }>('UpdateOrganization', {
        input: { id: s.borealis.id, name: 'Borealis Freight Co', expectedVersion: s.borealis.version },
      });
      expect(renamed.updateOrganization).toMatchObject({ name: 'Borealis Freight Co', version: 2 });
      // A client editing from a stale read gets CONFLICT, and re-reads.
      const stale = await client.send('UpdateOrganization', {
        input: { id: s.borealis.id, name: 'Borealis', expectedVersion: s.borealis.version },
      });
      expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
      s.borealis = renamed.updateOrganization;

      const site = async (organization: Organization, input: Record<string, unknown>) => {
        const res = await client.ok<{ createFacility: Facility }>('CreateFacility', {
          input: { organizationId: organization.id, countryCode: 'US', ...input },
        });
        return res.createFacility;
      };
      s.facilities = {
        chicago: await site(s.acme, {
          code: 'chi-1',
          name: 'Chicago DC',
          addressLine1: '2200 W Cermak Rd',
          city: 'Chicago',
          region: 'IL',
          postalCode: '60608',
          timezone: 'America/Chicago',
        }),
        newYork: await site(s.acme, {
          code: 'NYC-1',
          name: 'Brooklyn Cross-Dock',
          addressLine1: '850 3rd Ave',
          city: 'Brooklyn',
          region: 'NY',
          postalCode: '11232',
          timezone: 'America/New_York',
        }),
        dallas: await site(s.acme, {
          code: 'DAL-1',
          name: 'Dallas Returns',
          addressLine1: '1950 N Stemmons Fwy',
          city: 'Dallas',
          region: 'TX',
          postalCode: '75207',
          timezone: 'America/Chicago',
          isActive: false,
        }),
        toronto: await site(s.borealis, {
          code: 'TOR-1',
          name: 'Toronto Hub',
          addressLine1: '1 Blue Jays Way',
          city: 'Toronto',
          region: 'ON',
          postalCode: 'm5v 1j1',
          countryCode: 'CA',
          timezone: 'America/Toronto',
        }),
      };
      expect(s.facilities.chicago).toMatchObject({ code: 'CHI-1', organization: { id: s.acme.id } });
      expect(s.facilities.toronto.postalCode).toBe('M5V 1J1');
      expect(s.facilities.dallas.organization!.facilityCount).toBe(3);

      const moved = await client.ok<{ updateFacility: Facility }>('UpdateFacility', {
        input: {
          id: s.facilities.newYork.id,
          addressLine2: 'Dock 4',
          name: 'Brooklyn Cross-Dock East',
          expectedVersion: s.facilities.newYork.version,
        },
      });
      expect(moved.updateFacility).toMatchObject({ addressLine2: 'Dock 4', version: 2 });
      s.facilities.newYork = moved.updateFacility;

      const facility = await client.ok<{ facility: Facility }>('Facility', { id: s.facilities.toronto.id });
      expect(facility.facility).toMatchObject({
        code: 'TOR-1',
        countryCode: 'CA',
        organization: { id: s.borealis.id, name: 'Borealis Freight Co' },
      });
    });

    it('pages organizations both ways (Organizations), each with its first facilities nested as a connection', async () => {
      type Page = { organizations: Connection<Organization> };
      const first = await client.ok<Page>('Organizations', { first: 2, orderBy: 'NAME_ASC' });
      expect(first.organizations.totalCount).toBe(3);
      expect(namesOf(first.organizations)).toEqual(['Acme Logistics', 'Borealis Freight Co']);
      expect(pageFlags(first.organizations)).toEqual({ hasNextPage: true, hasPreviousPage: false });
      const acme = first.organizations.edges[0].node;
      expect(acme.facilityCount).toBe(3);
      expect(codesOf(acme.facilities!)).toEqual(['CHI-1', 'DAL-1', 'NYC-1']);
      expect(acme.facilities!.totalCount).toBe(3);
      expect(acme.facilities!.pageInfo.hasNextPage).toBe(false);
      expect(new Date(acme.createdAt).toISOString()).toBe(acme.createdAt);

      const next = await client.ok<Page>('Organizations', {
        first: 2,
        after: first.organizations.pageInfo.endCursor,
        orderBy: 'NAME_ASC',
      });
      expect(namesOf(next.organizations)).toEqual(['Cascade Supply']);
      expect(pageFlags(next.organizations)).toEqual({ hasNextPage: false, hasPreviousPage: true });
      expect(next.organizations.edges[0].node.facilities).toMatchObject({ totalCount: 0, edges: [] });

      const last = await client.ok<Page>('Organizations', { last: 2, orderBy: 'NAME_ASC' });
      expect(namesOf(last.organizations)).toEqual(['Borealis Freight Co', 'Cascade Supply']);
      expect(pageFlags(last.organizations)).toEqual({ hasNextPage: false, hasPreviousPage: true });
      const earlier = await client.ok<Page>('Organizations', {
        last: 2,
        before: last.organizations.pageInfo.startCursor,
        orderBy: 'NAME_ASC',
      });
      expect(namesOf(earlier.organizations)).toEqual(['Acme Logistics']);
      expect(pageFlags(earlier.organizations)).toEqual({ hasNextPage: true, hasPreviousPage: false });

      const newest = await client.ok<Page>('Organizations', { first: 1, orderBy: 'CREATED_AT_DESC' });
      expect(namesOf(newest.organizations)).toEqual(['Cascade Supply']);
      const search = await client.ok<Page>('Organizations', { filter: { search: 'FREIGHT' } });
      expect(namesOf(search.organizations)).toEqual(['Borealis Freight Co']);
    });

    it("pages facilities both ways: one organization's (Facilities) and nested in its detail (Organization)", async () => {
      type Page = { facilities: Connection<Facility> };
      const vars = { organizationId: s.acme.id, orderBy: 'CODE_DESC' };
      const first = await client.ok<Page>('Facilities', { ...vars, first: 2 });
      expect(codesOf(first.facilities)).toEqual(['NYC-1', 'DAL-1']);
      expect(pageFlags(first.facilities)).toEqual({ hasNextPage: true, hasPreviousPage: false });
      const next = await client.ok<Page>('Facilities', {
        ...vars,
        first: 2,
        after: first.facilities.pageInfo.endCursor,
      });
      expect(codesOf(next.facilities)).toEqual(['CHI-1']);
      expect(pageFlags(next.facilities)).toEqual({ hasNextPage: false, hasPreviousPage: true });
      const last = await client.ok<Page>('Facilities', { ...vars, last: 2 });
      expect(codesOf(last.facilities)).toEqual(['DAL-1', 'CHI-1']);
      const before = await client.ok<Page>('Facilities', {
        ...vars,
        last: 2,
        before: last.facilities.pageInfo.startCursor,
      });
      expect(codesOf(before.facilities)).toEqual(['NYC-1']);
      expect(pageFlags(before.facilities)).toEqual({ hasNextPage: true, hasPreviousPage: false });

      type Detail = { organization: Organization };
      const detail = await client.ok<Detail>('Organization', { id: s.acme.id, facilitiesFirst: 2 });
      expect(detail.organization).toMatchObject({ name: 'Acme Logistics', facilityCount: 3 });
      const nested = detail.organization.facilities!;
      expect(codesOf(nested)).toEqual(['CHI-1', 'DAL-1']);
      const rest = await client.ok<Detail>('Organization', {
        id: s.acme.id,
        facilitiesFirst: 2,
        facilitiesAfter: nested.pageInfo.endCursor,
      });
      expect(codesOf(rest.organization.facilities!)).toEqual(['NYC-1']);
      const newest = await client.ok<Detail>('Organization', {
        id: s.acme.id,
        facilitiesLast: 1,
        facilitiesOrderBy: 'CREATED_AT_ASC',
      });
      expect(codesOf(newest.organization.facilities!)).toEqual(['DAL-1']);
      const back = await client.ok<Detail>('Organization', {
        id: s.acme.id,
        facilitiesLast: 5,
        facilitiesBefore: newest.organization.facilities!.pageInfo.startCursor,
        facilitiesOrderBy: 'CREATED_AT_ASC',
      });
      expect(codesOf(back.organization.facilities!)).toEqual(['CHI-1', 'NYC-1']);
      expect(pageFlags(back.organization.facilities!)).toEqual({ hasNextPage: true, hasPreviousPage: false });
    });

    it('carriers and services: creates, updates, reads by id and by code, lists them', async () => {
      const created = await client.ok<{ createCarrier: Carrier }>('CreateCarrier', {
        input: { code: 'northwind', name: 'Northwind Parcel' },
      });
      expect(created.createCarrier).toMatchObject({ code: 'NORTHWIND', isActive: true, services: [] });
      const updated = await client.ok<{ updateCarrier: Carrier }>('UpdateCarrier', {
        input: { id: created.createCarrier.id, name: 'Northwind Parcel Co' },
      });
      expect(updated.updateCarrier.name).toBe('Northwind Parcel Co');

      const service = await client.ok<{
        createCarrierService: { id: string; code: string; carrier: Carrier };
      }>('CreateCarrierService', {
        input: { carrierId: created.createCarrier.id, code: 'GROUND', name: 'Ground' },
      });
      expect(service.createCarrierService).toMatchObject({ code: 'GROUND', carrier: { code: 'NORTHWIND' } });
      const read = await client.ok<{ carrierService: { name: string; carrier: { id: string } } }>(
        'CarrierService',
        {
          id: service.createCarrierService.id,
        },
      );
      expect(read.carrierService).toEqual(
        expect.objectContaining({
          name: 'Ground',
          carrier: expect.objectContaining({ id: created.createCarrier.id }),
        }),
      );

      const byId = await client.ok<{ carrier: Carrier }>('Carrier', { id: created.createCarrier.id });
      expect(byId.carrier.services.map((x) => x.code)).toEqual(['GROUND']);
      const byCode = await client.ok<{ carrier: Carrier }>('CarrierByCode', { code: 'Northwind' });
      expect(byCode.carrier).toEqual(byId.carrier);
      const none = await client.ok<{ carrier: Carrier | null }>('CarrierByCode', { code: 'NOPE' });
      expect(none.carrier).toBeNull();
      s.northwind = byId.carrier;

      const services = await client.ok<{
        carrierServices: {
          totalCount: number;
          edges: Array<{ node: { code: string; carrier: { code: string } } }>;
        };
      }>('CarrierServices', {
        carrierId: created.createCarrier.id,
        filter: { search: 'grou' },
        orderBy: 'NAME_ASC',
      });
      expect(services.carrierServices.totalCount).toBe(1);
      expect(services.carrierServices.edges[0]!.node).toEqual(
        expect.objectContaining({ code: 'GROUND', carrier: { code: 'NORTHWIND' } }),
      );

      const links = await client.ok<{
        carriersExportUrl: string;
        deliveryMatrixExportUrl: string;
        carrier: { deliveryMatrixExportUrl: string; services: Array<{ deliveryMatrixExportUrl: string }> };
      }>('ExportLinks', { carrierId: created.createCarrier.id });
      expect(links.carriersExportUrl).toBe('/exports/carriers.csv');
      expect(links.carrier.deliveryMatrixExportUrl).toMatch(
        /^\/exports\/delivery-matrix\.csv\?carrier=NORTHWIND$/,
      );
      expect(links.carrier.services[0]!.deliveryMatrixExportUrl).toMatch(/carrier=NORTHWIND&service=GROUND$/);

      const { carriers } = await client.ok<{ carriers: Carrier[] }>('Carriers');
      expect(carriers.map((c) => c.code)).toEqual(['NORTHWIND']);
    });

    it('uploads a carrier file and a delivery matrix (multipart) and polls each import (Import) until SUCCEEDED', async () => {
      const poll = async (id: string): Promise<Import> => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const { import: imp } = await client.ok<{ import: Import }>('Import', { id });
          // The run (primary) settles just after the import (data): a client polling for it waits for both.
          if (settled(imp.status) && settled(imp.run?.status)) return imp;
          if (Date.now() > deadline) throw new Error(`import ${id} still ${imp.status}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const carriersCsv = [
        'carrier_code,carrier_name,service_code,service_name',
        'UPS,United Parcel Service,GROUND,UPS Ground',
        'UPS,United Parcel Service,NEXT_DAY,UPS Next Day Air',
        'NORTHWIND,Northwind Parcel Co,EXPRESS,Express',
      ].join('\n');
      const carriers = await client.upload<{ importCarriers: Import }>(
        'ImportCarriers',
        `${carriersCsv}\n`,
        'carriers.csv',
      );
      expect(carriers.importCarriers).toMatchObject({
        kind: 'CARRIERS',
        fileName: 'carriers.csv',
        createdBy: { email: 'ops.lead@example.com' },
      });
      const carriersDone = await poll(carriers.importCarriers.id);
      expect(carriersDone).toMatchObject({
        status: 'SUCCEEDED',
        rowsTotal: 3,
        rowsImported: 3,
        errors: { totalCount: 0, edges: [] },
      });

      const matrixCsv = [
        'carrier_code,service_code,origin_zip3,destination_zip3,transit_days',
        'UPS,GROUND,606,112,3',
        'UPS,NEXT_DAY,606,112,1',
        'NORTHWIND,GROUND,606,112,4',
        'NORTHWIND,EXPRESS,606,112,2',
        'UPS,GROUND,606,752,2',
      ].join('\n');
      const matrix = await client.upload<{ importDeliveryMatrix: Import }>(
        'ImportDeliveryMatrix',
        `${matrixCsv}\n`,
        'lanes-2025-06.csv',
      );
      expect(matrix.importDeliveryMatrix).toMatchObject({
        kind: 'DELIVERY_MATRIX',
        fileName: 'lanes-2025-06.csv',
      });
      const matrixDone = await poll(matrix.importDeliveryMatrix.id);
      expect(matrixDone).toMatchObject({
        status: 'SUCCEEDED',
        rowsTotal: 5,
        rowsImported: 5,
        rowsRejected: 0,
      });
      expect(matrixDone.run).toEqual({ id: expect.any(String), status: 'SUCCEEDED' });
      s.imports = { carriers: carriersDone, matrix: matrixDone };
      s.runId = matrixDone.run!.id;

      const { carrier } = await client.ok<{ carrier: Carrier }>('CarrierByCode', { code: 'UPS' });
      expect(carrier.services.map((x) => x.code)).toEqual(['GROUND', 'NEXT_DAY']);
    });

    it('follows imports over graphql-ws by document id (ImportUpdated, ImportsUpdated), and refuses ad-hoc text there too', async () => {
      const socket = openSocket(t.url, { params: { authorization: `Bearer ${client.token}` } });
      try {
        const byId = (operation: string) => ({ documentId: client.idFor(operation) });
        const one = socket.subscribe<{ importUpdated: Import }>(
          '',
          { id: s.imports.matrix.id },
          byId('ImportUpdated'),
        );
        await one.done;
        expect(one.events).toEqual([
          {
            data: {
              importUpdated: expect.objectContaining({ id: s.imports.matrix.id, status: 'SUCCEEDED' }),
            },
          },
        ]);
        // Nothing is unfinished: no event, and no error either, until the client completes it.
        const all = socket.subscribe('', {}, byId('ImportsUpdated'));
        const adHoc = socket.subscribe('subscription { importsUpdated { id } }');
        await expect(adHoc.done).rejects.toEqual([
          expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_REQUIRED' } }),
        ]);
        expect(all.events).toEqual([]);
        all.stop();
      } finally {
        await socket.dispose();
      }
    });

    it('lists imports (Imports) and integration runs (IntegrationRuns) both ways, and reads a run (IntegrationRun)', async () => {
      type Imports = { imports: Connection<Import> };
      const newest = await client.ok<Imports>('Imports', { first: 1, orderBy: 'CREATED_AT_DESC' });
      expect(newest.imports.totalCount).toBe(2);
      expect(newest.imports.edges.map((e) => e.node.kind)).toEqual(['DELIVERY_MATRIX']);
      const older = await client.ok<Imports>('Imports', {
        first: 1,
        after: newest.imports.pageInfo.endCursor,
      });
      expect(older.imports.edges.map((e) => e.node.id)).toEqual([s.imports.carriers.id]);
      const oldest = await client.ok<Imports>('Imports', { last: 1 });
      expect(oldest.imports.edges.map((e) => e.node.id)).toEqual([s.imports.carriers.id]);
      const before = await client.ok<Imports>('Imports', {
        last: 1,
        before: oldest.imports.pageInfo.startCursor,
      });
      expect(before.imports.edges.map((e) => e.node.id)).toEqual([s.imports.matrix.id]);
      const carrierFiles = await client.ok<Imports>('Imports', {
        filter: {
          kind: ['CARRIERS'],
          status: ['SUCCEEDED'],
          createdAt: { from: s.imports.carriers.createdAt },
        },
      });
      expect(carrierFiles.imports.edges.map((e) => e.node.id)).toEqual([s.imports.carriers.id]);

      type Runs = { integrationRuns: Connection<{ id: string; kind: string; status: string }> };
      const runs = await client.ok<Runs>('IntegrationRuns', { first: 10, orderBy: 'STARTED_AT_ASC' });
      expect(runs.integrationRuns.edges.map((e) => [e.node.kind, e.node.status])).toEqual([
        ['CARRIERS', 'SUCCEEDED'],
        ['DELIVERY_MATRIX', 'SUCCEEDED'],
      ]);
      const failed = await client.ok<Runs>('IntegrationRuns', { filter: { status: ['FAILED'] } });
      expect(failed.integrationRuns.edges).toEqual([]);
      const back = await client.ok<Runs>('IntegrationRuns', { last: 1, orderBy: 'STARTED_AT_ASC' });
      expect(back.integrationRuns.edges.map((e) => e.node.id)).toEqual([s.runId]);
      expect(pageFlags(back.integrationRuns)).toEqual({ hasNextPage: false, hasPreviousPage: true });

      const { integrationRun } = await client.ok<{
        integrationRun: { rowsImported: number; startedBy: { email: string }; import: { id: string } };
      }>('IntegrationRun', { id: s.runId });
      expect(integrationRun).toMatchObject({
        rowsImported: 5,
        startedBy: { email: 'ops.lead@example.com' },
        import: { id: s.imports.matrix.id },
      });
    });

    it('answers delivery options between two ZIP codes (DeliveryOptions) and from a facility (FacilityDeliveryOptions)', async () => {
      const lanes = (options: DeliveryOption[]) =>
        options.map((o) => `${o.carrier.code} ${o.service.code} ${o.transitDays}`);
      const between = await client.ok<{ deliveryOptions: DeliveryOption[] }>('DeliveryOptions', {
        originPostalCode: '60608',
        destinationPostalCode: '11232-1002',
        maxTransitDays: 3,
      });
      expect(lanes(between.deliveryOptions)).toEqual([
        'UPS NEXT_DAY 1',
        'NORTHWIND EXPRESS 2',
        'UPS GROUND 3',
      ]);
      const fromFacility = await client.ok<{ facilityDeliveryOptions: DeliveryOption[] }>(
        'FacilityDeliveryOptions',
        { facilityId: s.facilities.chicago.id, destinationPostalCode: '75207', maxTransitDays: 5 },
      );
      expect(lanes(fromFacility.facilityDeliveryOptions)).toEqual(['UPS GROUND 2']);
    });

    it('refetches by global id: node(id:) per type and nodes(ids:) across types and both databases', async () => {
      const objects: Array<[string, string]> = [
        ['Organization', s.acme.id],
        ['Facility', s.facilities.chicago.id],
        ['User', s.dana.id],
        ['Role', s.dispatcher.id],
        ['Carrier', s.northwind.id],
        ['CarrierService', s.northwind.services[0].id],
        ['Import', s.imports.matrix.id],
        ['IntegrationRun', s.runId],
      ];
      for (const [type, id] of objects) {
        const { node } = await client.ok<{ node: { __typename: string; id: string } }>('Node', { id });
        expect(node).toMatchObject({ __typename: type, id });
      }
      const { node: org } = await client.ok<{ node: Organization }>('Node', { id: s.acme.id });
      expect(org).toMatchObject({ name: 'Acme Logistics', slug: 'acme-logistics' });
      const { node: dana } = await client.ok<{ node: User }>('Node', { id: s.dana.id });
      expect(dana).toMatchObject({ email: 'dana.reyes@example.com', isActive: false });

      const missing = toGlobalId('Organization', randomUUID());
      const ids = [...objects.map(([, id]) => id), missing].reverse();
      const { nodes } = await client.ok<{ nodes: Array<{ __typename: string; id: string } | null> }>(
        'Nodes',
        { ids },
      );
      expect(nodes.map((n) => n?.__typename ?? null)).toEqual([
        null,
        ...objects.map(([type]) => type).reverse(),
      ]);
      expect(nodes.slice(1).map((n) => n!.id)).toEqual(ids.slice(1));
    });

    it('previews a matrix file (ImportDeliveryMatrix, mode PREVIEW), reads its lane changes (Import), applies it (ApplyImport)', async () => {
      const csv = [
        'carrier_code,service_code,origin_zip3,destination_zip3,transit_days',
        'UPS,GROUND,606,112,4',
        'UPS,GROUND,606,752,2',
      ].join('\n');
      const { importDeliveryMatrix: started } = await client.upload<{ importDeliveryMatrix: Import }>(
        'ImportDeliveryMatrix',
        `${csv}\n`,
        'lanes-2025-07.csv',
        { mode: 'PREVIEW' },
      );
      let preview: Import;
      for (;;) {
        ({ import: preview } = await client.ok<{ import: Import }>('Import', { id: started.id }));
        if (settled(preview.status)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(preview.status).toBe('PREVIEWED');
      expect(preview.laneChanges).toEqual([
        expect.objectContaining({
          service: {
            id: expect.any(String),
            code: 'GROUND',
            carrier: { id: expect.any(String), code: 'UPS' },
          },
          lanesBefore: 2,
          lanesAfter: 2,
          added: expect.objectContaining({ count: 0 }),
          removed: expect.objectContaining({ count: 0 }),
          changed: expect.objectContaining({
            count: 1,
            examples: [
              { originZip3: '606', destinationZip3: '112', transitDaysBefore: 3, transitDaysAfter: 4 },
            ],
          }),
        }),
      ]);
      const { applyImport } = await client.ok<{ applyImport: { import: Import } }>('ApplyImport', {
        input: { id: started.id },
      });
      expect(applyImport.import).toMatchObject({ status: 'SUCCEEDED', rowsImported: 2 });
      const again = await client.send('ApplyImport', { input: { id: started.id } });
      expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'APPLIED' });
    });

    it('deletes the facilities (DeleteFacility), then their organizations (DeleteOrganization)', async () => {
      const blocked = await client.send('DeleteOrganization', { input: { id: s.acme.id } });
      expect(blocked.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
      for (const facility of Object.values(s.facilities)) {
        const res = await client.ok<{ deleteFacility: { deletedId: string; facility: { id: string } } }>(
          'DeleteFacility',
          { input: { id: facility.id, expectedVersion: facility.version } },
        );
        // The payload names the deleted object by type and id, for the client cache to evict.
        expect(res.deleteFacility).toMatchObject({ deletedId: facility.id, facility: { id: facility.id } });
      }
      for (const org of [s.acme, s.borealis, s.cascade]) {
        const res = await client.ok<{
          deleteOrganization: { deletedId: string; organization: { id: string; slug: string } };
        }>('DeleteOrganization', { input: { id: org.id, expectedVersion: org.version } });
        expect(res.deleteOrganization).toEqual({
          deletedId: org.id,
          organization: { id: org.id, slug: org.slug },
        });
      }
      const gone = await client.send<{ organization: null }>('Organization', { id: s.acme.id });
      expect(gone.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
      const left = await client.ok<{ organizations: Connection<Organization> }>('Organizations', {
        first: 5,
      });
      expect(left.organizations).toMatchObject({ totalCount: 0, edges: [] });
    });

    it('refuses what is not a manifest id: ad-hoc text with 400 PERSISTED_QUERY_REQUIRED, an unknown id with 404', async () => {
      for (const query of ['{ me { id } }', manifest[client.idOf.get('Me')!]]) {
        const adHoc = await client.raw({ query });
        expect(adHoc.status).toBe(400);
        expect(adHoc.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_REQUIRED');
        expect(adHoc.data).toBeUndefined();
      }
      const unknown = await client.raw({ documentId: `sha256:${sha256Of('query Gone { me { id } }')}` });
      expect(unknown.status).toBe(404);
      expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });

    it('signs out (SignOut): the session ends and Me no longer answers with the user', async () => {
      const token = client.token;
      const out = await client.ok<{ logout: boolean }>('SignOut');
      expect(out.logout).toBe(true);
      const after = await client.send<{ me: User | null }>('Me', {}, { token });
      expect(after.status).toBe(200);
      expect(after.data?.me ?? null).toBeNull();
      client.token = null;
    });

    it('ran every document of the generated manifest', () => {
      expect([...client.idOf.keys()].filter((name) => !client.ran.has(name))).toEqual([]);
    });
  });
});
