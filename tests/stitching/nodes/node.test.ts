import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../../src/shared/graphql/global-id';
import { MAX_NODE_IDS } from '../../../src/stitching/nodes/node.resolver';
import { signInAs, uuidOf, type TestUser } from '../../support/auth';
import { createFacility, createOrg } from '../../support/customers';
import { importCsv } from '../../support/imports';
import { startTestApp, type TestApp } from '../../support/test-app';

const CARRIERS =
  'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\nUPS,UPS,AIR,Air\n';

interface Ids {
  Organization: string;
  Facility: string;
  User: string;
  Role: string;
  Carrier: string;
  CarrierService: string;
  Import: string;
  IntegrationRun: string;
}

const NODE_QUERY = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
  ... on Organization { slug } ... on Facility { code } ... on User { email } ... on Role { name }
  ... on Carrier { code } ... on CarrierService { code } ... on Import { fileName } ... on IntegrationRun { kind } } }`;

type NodeResult = { __typename: string; id: string } | null;

describe('node(id:) and nodes(ids:)', () => {
  let t: TestApp;
  let admin: TestUser;
  let ids: Ids;

  beforeAll(async () => {
    t = await startTestApp('split');
    admin = await signInAs(t, ['admin']);
    const org = await createOrg(t, admin.token, { name: 'Node Org', slug: 'node-org' });
    const facility = await createFacility(t, admin.token, org.id, { code: 'N1' });
    await importCsv(t, 'importCarriers', CARRIERS, admin);
    const res = await t.gql<{
      carriers: Array<{ id: string; services: Array<{ id: string }> }>;
      imports: { edges: Array<{ node: { id: string; run: { id: string } } }> };
      roles: Array<{ id: string }>;
    }>(
      '{ carriers { id services { id } } imports { edges { node { id run { id } } } } roles { id } }',
      {},
      admin,
    );
    expect(res.errors).toBeUndefined();
    const imp = res.data!.imports.edges[0]!.node;
    ids = {
      Organization: org.id,
      Facility: facility.id,
      User: admin.globalId,
      Role: res.data!.roles[0]!.id,
      Carrier: res.data!.carriers[0]!.id,
      CarrierService: res.data!.carriers[0]!.services[0]!.id,
      Import: imp.id,
      IntegrationRun: imp.run.id,
    };
  });
  afterAll(() => t.close());

  it('gives every entity an opaque global id that node(id:) resolves to the same object', async () => {
    for (const [type, id] of Object.entries(ids)) {
      expect(id).not.toMatch(/^[0-9a-f-]{36}$/); // not the bare uuid
      const res = await t.gql<{ node: NodeResult }>(
        'query($id: ID!) { node(id: $id) { __typename id } }',
        { id },
        admin,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toEqual({ __typename: type, id });
    }
  });

  it('resolves 100 ids of mixed types from both databases in one statement per type, as for 8', async () => {
    const all = Object.values(ids);
    const statements = async (list: string[]) => {
      await t.gql('{ me { id } }', {}, admin); // the session is cached from here on
      const before = t.app.dbs.counter.snapshot();
      const res = await t.gql<{ nodes: NodeResult[] }>(NODE_QUERY, { ids: list }, admin);
      const after = t.app.dbs.counter.snapshot();
      expect(res.errors).toBeUndefined();
      expect(res.data!.nodes.map((n) => n?.id)).toEqual(list);
      return { primary: after.primary - before.primary, data: after.data - before.data };
    };
    const few = await statements(all);
    const hundred = await statements(Array.from({ length: MAX_NODE_IDS }, (_, i) => all[i % all.length]!));
    expect(hundred).toEqual(few);
    // Organization, Facility, User, Role, IntegrationRun on primary; Carrier, CarrierService, Import on data.
    expect(few.primary).toBeLessThanOrEqual(5);
    expect(few.data).toBeLessThanOrEqual(3);
  });

  it('answers null for ids that name nothing, and FORBIDDEN only at the indexes of types the caller cannot read', async () => {
    const reader = await signInAs(t, []);
    await t.gql(
      'mutation { createRole(input: { name: "carrier-reader", permissions: ["carriers:read"] }) { name } }',
      {},
      admin,
    );
    const carrierReader = await signInAs(t, ['carrier-reader']);
    const unknown = toGlobalId('Facility', randomUUID());
    const res = await t.gql<{ nodes: NodeResult[] }>(
      NODE_QUERY,
      { ids: [ids.Carrier, ids.Organization, unknown, 'not-an-id', ids.CarrierService] },
      carrierReader,
    );
    expect(res.data!.nodes.map((n) => n?.__typename ?? null)).toEqual([
      'Carrier',
      null,
      null,
      null,
      'CarrierService',
    ]);
    // The permission is checked before the lookup, so a FORBIDDEN entry does not tell whether the id exists.
    expect(res.errors).toHaveLength(2);
    expect(res.errors![0]).toMatchObject({
      path: ['nodes', 1],
      extensions: { code: 'FORBIDDEN', permission: 'organizations:read' },
    });
    expect(res.errors![1]).toMatchObject({
      path: ['nodes', 2],
      extensions: { code: 'FORBIDDEN', permission: 'facilities:read' },
    });
    // A caller without any permission still reaches node; each object found needs its type's permission.
    const none = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: ids.User }, reader);
    expect(none.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'users:read' });
  });

  it('is UNAUTHENTICATED anonymously, and refuses more than 100 ids', async () => {
    const anon = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: ids.Organization });
    expect(anon.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const many = await t.gql(NODE_QUERY, { ids: Array(MAX_NODE_IDS + 1).fill(ids.Organization) }, admin);
    expect(many.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
  });

  it('takes global ids in every id argument, the bare uuid too, and refuses an id of another type', async () => {
    const org = 'query($id: ID!) { organization(id: $id) { id } }';
    expect((await t.gql(org, { id: ids.Organization }, admin)).data).toEqual({
      organization: { id: ids.Organization },
    });
    expect((await t.gql(org, { id: uuidOf(ids.Organization) }, admin)).data).toEqual({
      organization: { id: ids.Organization },
    });
    const wrong = await t.gql(org, { id: ids.Facility }, admin);
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(wrong.errors![0].message).toMatch(/is the id of a Facility; an Organization id is expected/);
    const facilities = await t.gql(
      'query($o: ID!) { facilities(organizationId: $o) { totalCount } }',
      { o: ids.Carrier },
      admin,
    );
    expect(facilities.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'organizationId',
    });
  });

  it('looks up every entity by id', async () => {
    const res = await t.gql<Record<string, { id: string } | null>>(
      `query($u: ID!, $r: ID!, $c: ID!, $s: ID!, $i: ID!, $run: ID!, $f: ID!) {
        user(id: $u) { id } role(id: $r) { id } carrier(id: $c) { id } byCode: carrier(code: "ups") { id }
        carrierService(id: $s) { id } import(id: $i) { id } integrationRun(id: $run) { id } facility(id: $f) { id } }`,
      {
        u: ids.User,
        r: ids.Role,
        c: ids.Carrier,
        s: ids.CarrierService,
        i: ids.Import,
        run: ids.IntegrationRun,
        f: ids.Facility,
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      user: { id: ids.User },
      role: { id: ids.Role },
      carrier: { id: ids.Carrier },
      byCode: { id: ids.Carrier },
      carrierService: { id: ids.CarrierService },
      import: { id: ids.Import },
      integrationRun: { id: ids.IntegrationRun },
      facility: { id: ids.Facility },
    });
    const both = await t.gql(
      'query($c: ID!) { carrier(id: $c, code: "UPS") { id } }',
      { c: ids.Carrier },
      admin,
    );
    expect(both.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
