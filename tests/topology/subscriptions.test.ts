import { openSocket, type TestSocket } from '../support/subscriptions';
import { health, importCsv, login } from './support/client';
import type { GatewayProcess } from './support/gateway-process';
import { migrate, startTopology, type Topology } from './support/topology';

const CARRIERS = 'carrier_code,carrier_name,service_code,service_name\nUPS,UPS,GROUND,Ground\n';

describe('import progress across instances, both databases behind PgBouncer in transaction mode', () => {
  let t: Topology;
  let a: GatewayProcess;
  let b: GatewayProcess;
  let socket: TestSocket | undefined;
  beforeAll(async () => {
    t = await startTopology();
    await migrate(t);
    // Requests (and so the NOTIFYs of import changes) through the pooler; each LISTEN on the server itself.
    const env = { DATA_DATABASE_URL: t.pooled('data'), DATA_DIRECT_DATABASE_URL: t.direct('data') };
    [a, b] = await Promise.all([t.startGateway(env), t.startGateway(env)]);
  });
  afterAll(async () => {
    await socket?.dispose();
    await t?.stop();
  });

  it('a client subscribed on B watches an import started on A from PENDING to SUCCEEDED', async () => {
    const token = await login(a);
    socket = openSocket(`${b.url}/graphql`, { params: { authorization: `Bearer ${token}` } });
    const feed = socket.subscribe<{ importsUpdated: { id: string; status: string } }>(
      'subscription { importsUpdated { id status } }',
    );
    await socket.connected;
    await new Promise((r) => setTimeout(r, 200));
    const imp = await importCsv(a, token, 'importCarriers', CARRIERS);
    expect(imp.status).toBe('SUCCEEDED');
    await feed.until((e) => e.data?.importsUpdated.status === 'SUCCEEDED');
    const statuses = feed.events.map((e) => e.data!.importsUpdated.status);
    expect(statuses[0]).toBe('PENDING');
    expect(statuses.at(-1)).toBe('SUCCEEDED');
    expect((await health(b)).body).toMatchObject({ importChanges: { listening: true, sockets: 1 } });
  });
});
