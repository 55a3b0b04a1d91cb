import { expectOk, measure, type GraphqlRequest } from '../support/load';
import { atMost, info, type Scenario } from '../support/scenario';

interface FirstPage {
  organizations: { edges: Array<{ node: { id: string; name: string; facilities: Array<{ id: string }> } }> };
}

/** The read operations on main today, each as a client would send it; every connection cycles through them. */
function operations(
  orgId: string,
  orgName: string,
  facilityId: string,
): Array<Omit<GraphqlRequest, 'headers'>> {
  return [
    { query: '{ me { id email name permissions } }' },
    {
      query:
        '{ organizations(first: 20) { edges { node { name facilities { code organization { name } } } } } }',
    },
    {
      query:
        'query($s: String!) { organizations(first: 10, search: $s) { totalCount edges { node { id name } } } }',
      variables: { s: orgName.slice(-6) },
    },
    {
      query: 'query($id: ID!) { organization(id: $id) { name slug facilityCount } }',
      variables: { id: orgId },
    },
    {
      query: 'query($o: ID!) { facilities(organizationId: $o, first: 20) { edges { node { code city } } } }',
      variables: { o: orgId },
    },
    {
      query: 'query($id: ID!) { facility(id: $id) { code name organization { name } } }',
      variables: { id: facilityId },
    },
    { query: '{ users(first: 10) { edges { node { email roles { name } } } } }' },
    { query: '{ roles { name permissions } }' },
  ];
}

/** Many concurrent clients over every available read at once: the gate is zero errors, the figure p99. */
export const mixedLoad: Scenario = {
  name: 'mixed-load',
  title: 'Mixed load: concurrent clients over the available operations',
  async run(ctx) {
    const headers = { authorization: `Bearer ${ctx.admin.token}` };
    const page = (await expectOk(ctx.gateway.url, {
      query: '{ organizations(first: 1) { edges { node { id name facilities(first: 1) { id } } } } }',
      headers,
    })) as FirstPage;
    const org = page.organizations.edges[0]!.node;
    const requests = operations(org.id, org.name, org.facilities[0]!.id).map((op) => ({ ...op, headers }));
    for (const request of requests) await expectOk(ctx.gateway.url, request);
    const connections = 100;
    const durationSeconds = ctx.quick ? 5 : 30;
    const result = await measure(ctx.gateway, requests, { ...ctx.load, connections, durationSeconds });
    return {
      name: this.name,
      title: this.title,
      status: 'done',
      measurements: [{ subject: `gateway, ${connections} clients × ${durationSeconds} s`, ...result }],
      checks: [atMost('errors', result.errors, 0, 0), info('p99 ms', result.p99Ms)],
      notes: [
        `Operations, in each client's order: ${requests.length} reads (me, nested organizations, search, organization, facilities, facility, users, roles). Mutations are left out so the data stays the same for every run.`,
      ],
    };
  },
};
