import { randomBytes } from 'node:crypto';
import { expectOk, measure, type GraphqlRequest } from '../support/load';
import { atMost, info, type Scenario } from '../support/scenario';

const CLIENTS = 100;
/** Of the clients, these upload delivery-matrix files one after another; the rest read. */
const IMPORT_CLIENTS = 2;
const CARRIER = 'MIXLOAD';
const IMPORT_FILE = 'mixed-load-matrix.csv';
const CARRIERS_FILE = 'mixed-load-carriers.csv';

interface FirstPage {
  organizations: {
    edges: Array<{
      node: { id: string; name: string; facilities: { edges: Array<{ node: { id: string } }> } };
    }>;
  };
}

/**
 * 1,000 lanes of one carrier service kept for this scenario: origins 600–609 (the seeded facilities are in
 * 60608) to destinations 000–099. Every upload replaces the same rows, so the data stays the same size.
 */
function matrixCsv(): string {
  const lines = ['carrier_code,service_code,origin_zip3,destination_zip3,transit_days'];
  for (let o = 600; o < 610; o += 1)
    for (let d = 0; d < 100; d += 1)
      lines.push(`${CARRIER},GROUND,${o},${String(d).padStart(3, '0')},${(o + d) % 8}`);
  return `${lines.join('\n')}\n`;
}

/** A GraphQL multipart request (operations, map, one file) as one prepared body. */
function multipartUpload(mutation: string, fileName: string, csv: string, headers: Record<string, string>) {
  const boundary = `mixed-${randomBytes(8).toString('hex')}`;
  const part = (name: string, value: string, extra = '') =>
    `--${boundary}\r\ncontent-disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n`;
  const body = Buffer.from(
    part(
      'operations',
      JSON.stringify({
        query: `mutation($f: Upload!) { ${mutation}(file: $f) { id } }`,
        variables: { f: null },
      }),
    ) +
      part('map', JSON.stringify({ 0: ['variables.f'] })) +
      part('0', csv, `; filename="${fileName}"\r\ncontent-type: text/csv`) +
      `--${boundary}--\r\n`,
  );
  return {
    query: mutation,
    body,
    headers: {
      ...headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'apollo-require-preflight': 'true',
    },
  } satisfies GraphqlRequest;
}

/**
 * `clients` loops, each uploading the same file again as soon as its previous upload is answered, until
 * `seconds` have passed; every upload started is finished. Latency runs from sending to the full answer.
 */
async function uploadLoop(url: string, upload: GraphqlRequest, clients: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        await expectOk(url, upload).catch((err: unknown) => {
          errors += 1;
          console.warn(`  upload failed: ${String(err).slice(0, 300)}`);
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, errors, seconds: (Date.now() - started) / 1000 };
}

function percentile(values: number[], p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
}

/** What each of the reads below is, in their order: the families p99 is reported for. */
const READ_FAMILIES = [
  'me',
  'nested page (20 organizations)',
  'organization search with totalCount',
  'organization',
  'facilities',
  'facility with organization',
  'users with roles',
  'roles',
  'integrationRuns with startedBy and import',
  'imports with run and createdBy',
  'carriers with services',
  'deliveryOptions',
  'facilityDeliveryOptions',
] as const;

/** Every read of the API, each as a client would send it; every reading connection cycles through them. */
function reads(orgId: string, orgName: string, facilityId: string): Array<Omit<GraphqlRequest, 'headers'>> {
  return [
    { query: '{ me { id email name permissions } }' },
    {
      query:
        '{ organizations(first: 20) { edges { node { name facilities { edges { node { code organization { name } } } } } } } }',
    },
    {
      query:
        'query($s: String!) { organizations(first: 10, filter: { search: $s }) { totalCount edges { node { id name } } } }',
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
    {
      query:
        '{ integrationRuns(first: 50) { totalCount edges { node { status startedBy { email } import { rowsImported } } } } }',
    },
    { query: '{ imports(first: 20) { edges { node { status run { status } createdBy { email } } } } }' },
    { query: '{ carriers { code services { code } } }' },
    {
      query:
        '{ deliveryOptions(originPostalCode: "60608", destinationPostalCode: "00501", maxTransitDays: 30) { transitDays service { code } } }',
    },
    {
      query:
        'query($f: ID!) { facilityDeliveryOptions(facilityId: $f, destinationPostalCode: "09001", maxTransitDays: 30) { transitDays carrier { code } } }',
      variables: { f: facilityId },
    },
  ];
}

/**
 * 100 concurrent clients at once: 98 cycle through every read (both databases, the cross-database fields,
 * the session cache, the nested page), 2 upload 1,000-row delivery-matrix files back to back. The gate is
 * zero errors: no failed request, no GraphQL error, no failed import; the figure is p99.
 */
export const mixedLoad: Scenario = {
  name: 'mixed-load',
  title: 'Mixed load: concurrent clients over every read and delivery-matrix uploads',
  async run(ctx) {
    const headers = { authorization: `Bearer ${ctx.admin.token}` };
    const data = ctx.dbs.orms.data.em.getConnection();
    /** Waits until no import of that file is PENDING or RUNNING; returns how many ended FAILED. */
    const settled = async (fileName: string) => {
      for (let i = 0; i < 600; i += 1) {
        const [row] = await data.execute<Array<{ open: string; failed: string }>>(
          `select count(*) filter (where "status" in ('PENDING', 'RUNNING')) as open,
                  count(*) filter (where "status" = 'FAILED') as failed
             from "data"."workspace_import" where "file_name" = ?`,
          [fileName],
        );
        if (Number(row!.open) === 0) return Number(row!.failed);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${fileName}: imports did not finish within 60 s`);
    };
    // Set-up, in order (an upload is answered when recorded, not when done): the carrier, then its lanes,
    // so delivery options answer with rows; either failing stops the scenario before timing.
    await expectOk(
      ctx.gateway.url,
      multipartUpload(
        'importCarriers',
        CARRIERS_FILE,
        `carrier_code,carrier_name,service_code,service_name\n${CARRIER},Mixed Load Carrier,GROUND,Ground\n`,
        headers,
      ),
    );
    if (await settled(CARRIERS_FILE)) throw new Error('the mixed-load carriers import failed');
    const upload = multipartUpload('importDeliveryMatrix', IMPORT_FILE, matrixCsv(), headers);
    await expectOk(ctx.gateway.url, upload);
    if (await settled(IMPORT_FILE)) throw new Error('the mixed-load matrix import failed');

    const page = (await expectOk(ctx.gateway.url, {
      query:
        '{ organizations(first: 1) { edges { node { id name facilities(first: 1) { edges { node { id } } } } } } }',
      headers,
    })) as FirstPage;
    const org = page.organizations.edges[0]!.node;
    const readRequests = reads(org.id, org.name, org.facilities.edges[0]!.node.id).map((op) => ({
      ...op,
      headers,
    }));
    if (readRequests.length !== READ_FAMILIES.length) throw new Error('every read needs its family name');
    for (const request of readRequests) await expectOk(ctx.gateway.url, request);

    const durationSeconds = ctx.quick ? 5 : 30;
    const [readResult, uploads] = await Promise.all([
      measure(ctx.gateway, readRequests, {
        ...ctx.load,
        connections: CLIENTS - IMPORT_CLIENTS,
        durationSeconds,
      }),
      // Starts as the reads' timed run does (after their warm-up) and lasts as long. Not autocannon: it
      // would cut the uploads in flight when time is up, failing imports for a client that went away.
      new Promise((r) => setTimeout(r, ctx.load.warmupSeconds * 1000)).then(() =>
        uploadLoop(ctx.gateway.url, upload, IMPORT_CLIENTS, durationSeconds),
      ),
    ]);
    await settled(IMPORT_FILE);
    const outcomes = await data.execute<Array<{ status: string; n: string }>>(
      `select "status", count(*) as n from "data"."workspace_import" where "file_name" = ? group by 1`,
      [IMPORT_FILE],
    );
    const count = (status: string) => Number(outcomes.find((o) => o.status === status)?.n ?? 0);
    const failures = await data.execute<Array<{ summary: string | null; n: string }>>(
      `select "error_summary" as summary, count(*) as n from "data"."workspace_import"
        where "file_name" = ? and "status" = 'FAILED' group by 1`,
      [IMPORT_FILE],
    );
    for (const f of failures) console.warn(`  ${f.n} import(s) FAILED: ${f.summary}`);
    const errors = readResult.errors + uploads.errors + count('FAILED');
    return {
      name: this.name,
      title: this.title,
      status: 'done',
      measurements: [
        {
          subject: `gateway, ${CLIENTS - IMPORT_CLIENTS} reading clients × ${durationSeconds} s`,
          ...readResult,
        },
        {
          subject: `gateway, ${IMPORT_CLIENTS} uploading clients (1,000-row files)`,
          requests: uploads.latencies.length,
          rps: uploads.latencies.length / uploads.seconds,
          p50Ms: percentile(uploads.latencies, 0.5),
          p99Ms: percentile(uploads.latencies, 0.99),
          errors: uploads.errors,
          timeouts: 0,
          statementsPerRequest: { primary: Number.NaN, data: Number.NaN },
          peakRssBytes: readResult.peakRssBytes,
          cpuMsPerRequest: Number.NaN,
        },
      ],
      checks: [
        atMost('errors (requests, GraphQL errors, failed imports)', errors, 0, 0),
        info('p99 ms, reads', readResult.p99Ms),
        info('p99 ms, uploads', percentile(uploads.latencies, 0.99)),
        ...(readResult.byRequest ?? []).map((family, i) =>
          info(`p99 ms, ${READ_FAMILIES[i] ?? `read ${i + 1}`} (p50 ${family.p50Ms})`, family.p99Ms),
        ),
        info('imports succeeded during the run (all of them, this scenario)', count('SUCCEEDED')),
      ],
      notes: [
        `${CLIENTS} clients at once. ${CLIENTS - IMPORT_CLIENTS} cycle through ${readRequests.length} reads: me, the nested organizations page (20), search with totalCount, organization, facilities, facility, users with roles, roles, integrationRuns (50) with startedBy and import, imports (20) with run and createdBy, carriers, deliveryOptions, facilityDeliveryOptions. ${IMPORT_CLIENTS} upload a 1,000-row delivery-matrix file for one carrier service through importDeliveryMatrix, one after another; imports run IMPORT_CONCURRENCY (2) at a time. Errors count failed or timed-out requests, answers with GraphQL errors and imports that ended FAILED.`,
      ],
    };
  },
};
