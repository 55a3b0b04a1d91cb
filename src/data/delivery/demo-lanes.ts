/**
 * The embedded default's delivery matrix: a few hundred lanes, so `deliveryOptions` and
 * `facilityDeliveryOptions` answer on the first start. Transit days come from distance by a plain rule of
 * thumb (illustrative, not any carrier's data), so the answers look like a back office's: next day by air,
 * five days coast to coast by ground, no ground service to or from Alaska and Hawaii.
 */

/** ZIP3 → [latitude, longitude] of its main city. */
const PLACES: Record<string, [number, number]> = {
  '021': [42.36, -71.06], // Boston
  '100': [40.75, -73.99], // New York (Manhattan, 10001)
  '112': [40.69, -73.97], // Brooklyn
  '303': [33.75, -84.39], // Atlanta
  '331': [25.8, -80.33], // Miami
  '606': [41.85, -87.65], // Chicago
  '752': [32.78, -96.8], // Dallas
  '770': [29.76, -95.37], // Houston
  '802': [39.76, -104.97], // Denver
  '850': [33.45, -112.07], // Phoenix
  '900': [34.05, -118.24], // Los Angeles
  '941': [37.79, -122.4], // San Francisco (94105)
  '968': [21.33, -157.92], // Honolulu
  '981': [47.58, -122.33], // Seattle
  '995': [61.17, -149.99], // Anchorage
};

/**
 * Origins: the ZIP3 of every demo facility (src/primary/organizations/organization.seed.ts; a test checks
 * they match) and Manhattan's, for the README's query. Destinations: a handful of large cities.
 */
export const DEMO_ORIGINS = [
  '100',
  '112',
  '303',
  '331',
  '606',
  '752',
  '802',
  '850',
  '900',
  '968',
  '981',
  '995',
];
export const DEMO_DESTINATIONS = ['021', '100', '303', '606', '770', '900', '941', '981'];

const NONCONTIGUOUS = new Set(['968', '995']);

function miles(a: string, b: string): number {
  const [lat1, lon1] = PLACES[a]!.map((d) => (d * Math.PI) / 180) as [number, number];
  const [lat2, lon2] = PLACES[b]!.map((d) => (d * Math.PI) / 180) as [number, number];
  const h =
    Math.sin((lat2 - lat1) / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin((lon2 - lon1) / 2) ** 2;
  return 2 * 3959 * Math.asin(Math.sqrt(h));
}

const groundDays = (d: number) => (d < 150 ? 1 : d < 600 ? 2 : d < 1000 ? 3 : d < 1800 ? 4 : 5);

/** Days per service of the demo carriers (src/data/data.seed.ts) on one lane; absent: not served. */
function serviceDays(origin: string, destination: string): Record<string, number> {
  const d = miles(origin, destination);
  const air = { 'UPS NDA': 1, 'UPS 2DAY': 2, 'FEDEX EXPRESS': 3, 'USPS PRIORITY': 3 };
  if (NONCONTIGUOUS.has(origin) || NONCONTIGUOUS.has(destination)) return { ...air, 'USPS GA': 7 };
  const ground = groundDays(d);
  return {
    ...air,
    'FEDEX EXPRESS': Math.min(3, ground),
    'USPS PRIORITY': d < 600 ? 1 : d < 1800 ? 2 : 3,
    'UPS GROUND': ground,
    'FEDEX GROUND': ground,
    'USPS GA': Math.min(ground + 1, 5),
  };
}

export interface DemoLane {
  carrier: string;
  service: string;
  origin: string;
  destination: string;
  days: number;
}

export function demoLanes(): DemoLane[] {
  return DEMO_ORIGINS.flatMap((origin) =>
    DEMO_DESTINATIONS.flatMap((destination) =>
      Object.entries(serviceDays(origin, destination)).map(([key, days]) => {
        const [carrier, service] = key.split(' ') as [string, string];
        return { carrier, service, origin, destination, days };
      }),
    ),
  );
}
