import { startServerChild } from '../support/child';
import { expectOk, measure } from '../support/load';
import { atLeast, atMost, info, type Scenario } from '../support/scenario';

const OURS = `query Nested { organizations(first: 50) { edges { node { facilities { edges { node { code organization { name } } } } } } } }`;
// PostGraphile's generated names for the same tables, ordered like ours (organizations by name,
// facilities by code), checked against its introspection when this file was written.
const POSTGRAPHILE = `query Nested { allOrganizations(first: 50, orderBy: [NAME_ASC, ID_ASC]) { nodes {
  facilitiesByOrganizationId(orderBy: [CODE_ASC, ID_ASC]) { nodes { code organizationByOrganizationId { name } } } } } }`;

type Row = { code: string; org: string };
interface OursData {
  organizations: {
    edges: Array<{
      node: { facilities: { edges: Array<{ node: { code: string; organization: { name: string } } }> } };
    }>;
  };
}
interface PeerData {
  allOrganizations: {
    nodes: Array<{
      facilitiesByOrganizationId: {
        nodes: Array<{ code: string; organizationByOrganizationId: { name: string } }>;
      };
    }>;
  };
}

/** Flattens either shape to (organization, facility code) pairs, so the three answers can be compared. */
const flattenOurs = (d: OursData): Row[] =>
  d.organizations.edges.flatMap((e) =>
    e.node.facilities.edges.map(({ node: f }) => ({ code: f.code, org: f.organization.name })),
  );
const flattenPeer = (d: PeerData): Row[] =>
  d.allOrganizations.nodes.flatMap((n) =>
    n.facilitiesByOrganizationId.nodes.map((f) => ({
      code: f.code,
      org: f.organizationByOrganizationId.name,
    })),
  );

/**
 * The same nested page from three servers on the same tables: our gateway (signed-in admin), PostGraphile
 * 4 in library mode, and a raw node http + pg server with one hand-written statement. The peers run
 * without authentication; ours pays its (cached) session check and permission checks.
 */
export const nestedReads: Scenario = {
  name: 'nested-reads',
  title: 'Nested reads: 50 organizations × their facilities × each facility’s organization',
  async run(ctx) {
    const peer = (kind: 'postgraphile' | 'raw') =>
      startServerChild('peer-process.ts', {
        kind,
        databaseUrl: ctx.server.urlFor(ctx.primaryDatabase),
        poolMax: 10,
      });
    const postgraphile = await peer('postgraphile');
    const raw = await peer('raw');
    try {
      const ours = { query: OURS, headers: { authorization: `Bearer ${ctx.admin.token}` } };
      const expected = JSON.stringify(flattenOurs((await expectOk(ctx.gateway.url, ours)) as OursData));
      const fromPeer = JSON.stringify(
        flattenPeer((await expectOk(postgraphile.url, { query: POSTGRAPHILE })) as PeerData),
      );
      const fromRaw = JSON.stringify(flattenOurs((await expectOk(raw.url, { query: OURS })) as OursData));
      if (fromPeer !== expected || fromRaw !== expected)
        throw new Error('the three servers disagree on the answer');
      const rows = JSON.parse(expected).length as number;
      const gateway = await measure(ctx.gateway, [ours], ctx.load);
      const peerResult = await measure(postgraphile, [{ query: POSTGRAPHILE }], ctx.load);
      const rawResult = await measure(raw, [{ query: OURS }], ctx.load);
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [
          { subject: 'gateway (ours)', ...gateway },
          { subject: 'PostGraphile 4', ...peerResult },
          { subject: 'raw node http + pg', ...rawResult },
        ],
        checks: [
          atLeast('req/s ours / PostGraphile', gateway.rps / peerResult.rps, 1),
          atLeast('req/s ours / raw', gateway.rps / rawResult.rps, 0.5),
          info('p99 ours / PostGraphile', gateway.p99Ms / peerResult.p99Ms),
          info('p99 ours / raw', gateway.p99Ms / rawResult.p99Ms),
          info('server CPU ms per request, ours', gateway.cpuMsPerRequest),
          info('server CPU ms per request, PostGraphile', peerResult.cpuMsPerRequest),
          info('server CPU ms per request, raw', rawResult.cpuMsPerRequest),
          info(
            'server CPU per request PostGraphile / ours',
            peerResult.cpuMsPerRequest / gateway.cpuMsPerRequest,
          ),
          info('primary statements per request, ours', gateway.statementsPerRequest.primary),
          atMost('errors', gateway.errors + peerResult.errors + rawResult.errors, 0, 0),
        ],
        notes: [
          `Each answer holds ${rows} facilities; all three servers return the same (organization, code) pairs in the same order (checked before timing).`,
          'PostGraphile and the raw server run without authentication; our gateway authenticates a signed-in admin (session cache warm) and checks `organizations:read` / `facilities:read`.',
          'Statements exclude transaction control (BEGIN/COMMIT) for every server, as the ORM counter does.',
          'Server CPU per request is the process’s user and system time over the timed run divided by the requests answered: less sensitive than req/s to other load on the machine, but blind to work done inside PostgreSQL (where PostGraphile builds its answer).',
        ],
      };
    } finally {
      await Promise.all([postgraphile.stop(), raw.stop()]);
    }
  },
};
