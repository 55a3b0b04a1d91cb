import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_DESTINATIONS, DEMO_ORIGINS } from '../../src/data/delivery/demo-lanes';
import { seedDemoData } from '../../src/db/demo-seed';
import { projectRoot } from '../../src/platform/paths';
import { Facility } from '../../src/primary/facilities/facility.entity';
import { toGlobalId } from '../../src/shared/graphql/global-id';
import { signInAs, type TestUser } from '../support/auth';
import { adminQuery } from '../support/test-db';
import { startTestApp, type TestApp } from '../support/test-app';

/** The README's first query on the demo data and the answer it shows (the blocks after "Ask the demo data"). */
function readmeExample(): { query: string; answer: unknown } {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const from = readme.indexOf('Ask the demo data');
  const block = (lang: string, after: number) => {
    const start = readme.indexOf(`\`\`\`${lang}\n`, after);
    const end = readme.indexOf('```\n', start + lang.length + 4);
    return { text: readme.slice(start + lang.length + 4, end), end };
  };
  const query = block('graphql', from);
  return { query: query.text, answer: JSON.parse(block('json', query.end).text) };
}

describe("the embedded default's demo data answers", () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp('split');
    // What a first `npm start` does after migrating; twice, as a second start would find it all there.
    await seedDemoData(t.app.dbs);
    await seedDemoData(t.app.dbs);
    admin = await signInAs(t, ['admin']);
  });
  afterAll(() => t.close());

  it("answers the README's delivery-options query with the answer the README shows", async () => {
    const { query, answer } = readmeExample();
    expect(query).toMatch(/originPostalCode: "10001", destinationPostalCode: "94105", maxTransitDays: 7/);
    const res = await t.gql(query, {}, admin);
    expect(res.errors).toBeUndefined();
    expect({ data: res.data }).toEqual(answer);
  });

  it('has lanes from every demo facility to every demo destination, once each, however often it runs', async () => {
    const facilities = await t.app.dbs.fork('primary').find(Facility, {});
    expect(facilities.length).toBeGreaterThan(5);
    // The origins the data seed lists are the demo facilities' ZIP3s (it cannot read them: another database).
    const zip3s = new Set(facilities.map((f) => f.postalCode!.slice(0, 3)));
    expect([...zip3s].sort()).toEqual(DEMO_ORIGINS.filter((z) => z !== '100').sort());
    const [{ lanes, rows }] = await adminQuery<{ lanes: string; rows: string }>(
      `select count(distinct (origin_zip3, destination_zip3)) as lanes, count(*) as rows from data.delivery_matrix_entry`,
      [],
      t.dbs.names[1],
    );
    expect(Number(lanes)).toBe(DEMO_ORIGINS.length * DEMO_DESTINATIONS.length);
    expect(Number(rows)).toBeGreaterThan(Number(lanes) * 4);
    for (const facility of facilities) {
      const res = await t.gql<{ facilityDeliveryOptions: Array<{ transitDays: number }> }>(
        `query($id: ID!) { facilityDeliveryOptions(facilityId: $id, destinationPostalCode: "94105", maxTransitDays: 7) {
           transitDays } }`,
        { id: toGlobalId('Facility', facility.id) },
        admin,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.facilityDeliveryOptions.length).toBeGreaterThanOrEqual(4);
      expect(res.data!.facilityDeliveryOptions[0]!.transitDays).toBe(1);
    }
  });
});
