import type { EntityManager } from '@mikro-orm/postgresql';
import { Facility } from '../facilities/facility.entity';
import type { CreateFacilityInput } from '../facilities/facility.inputs';
import { createFacility } from '../facilities/facility.service';
import { Organization } from './organization.entity';
import { createOrganization } from './organization.service';

type DemoFacility = Omit<CreateFacilityInput, 'organizationId'>;

const site = (
  code: string,
  name: string,
  addressLine1: string,
  city: string,
  region: string,
  postalCode: string,
  timezone: string,
): DemoFacility => ({ code, name, addressLine1, city, region, postalCode, countryCode: 'US', timezone });

/** Real US cities with their ZIP codes and zones, so delivery-option demos give believable answers. */
const DEMO_ORGANIZATIONS: Array<{ name: string; slug: string; facilities: DemoFacility[] }> = [
  {
    name: 'Acme Logistics',
    slug: 'acme-logistics',
    facilities: [
      site('CHI-1', 'Chicago Pilsen DC', '2200 W Cermak Rd', 'Chicago', 'IL', '60608', 'America/Chicago'),
      site('NYC-1', 'Brooklyn Navy Yard', '63 Flushing Ave', 'Brooklyn', 'NY', '11205', 'America/New_York'),
      site(
        'LAX-1',
        'Los Angeles Downtown',
        '1800 E 7th St',
        'Los Angeles',
        'CA',
        '90021',
        'America/Los_Angeles',
      ),
    ],
  },
  {
    name: 'Northwind Traders',
    slug: 'northwind-traders',
    facilities: [
      site('SEA-1', 'Seattle SoDo', '3400 1st Ave S', 'Seattle', 'WA', '98134', 'America/Los_Angeles'),
      site('DEN-1', 'Denver North', '5000 York St', 'Denver', 'CO', '80216', 'America/Denver'),
      // Arizona keeps standard time all year: a useful case for anything that schedules by local time.
      site('PHX-1', 'Phoenix West', '4500 W Buckeye Rd', 'Phoenix', 'AZ', '85043', 'America/Phoenix'),
    ],
  },
  {
    name: 'Contoso Retail',
    slug: 'contoso-retail',
    facilities: [
      site(
        'ATL-1',
        'Atlanta Fulton Industrial',
        '1000 Fulton Industrial Blvd SW',
        'Atlanta',
        'GA',
        '30336',
        'America/New_York',
      ),
      site('DFW-1', 'Dallas West', '2500 Singleton Blvd', 'Dallas', 'TX', '75212', 'America/Chicago'),
      site('MIA-1', 'Miami Doral', '8000 NW 36th St', 'Miami', 'FL', '33166', 'America/New_York'),
      site(
        'ANC-1',
        'Anchorage Airport',
        '5000 W International Airport Rd',
        'Anchorage',
        'AK',
        '99502',
        'America/Anchorage',
      ),
      site('HNL-1', 'Honolulu Airport', '3000 Ualena St', 'Honolulu', 'HI', '96819', 'Pacific/Honolulu'),
    ],
  },
];

/**
 * Demo customers for the embedded default. Goes through the services, so demo data passes the same
 * validation as client input; skips organizations (by slug) and facilities (by code) that exist.
 */
export async function seedOrganizationsDemo(em: EntityManager): Promise<void> {
  for (const demo of DEMO_ORGANIZATIONS) {
    const org =
      (await em.findOne(Organization, { slug: demo.slug })) ??
      (await createOrganization(em, { name: demo.name, slug: demo.slug }));
    for (const facility of demo.facilities) {
      if (await em.count(Facility, { organization: org.id, code: facility.code })) continue;
      await createFacility(em, { ...facility, organizationId: org.id });
    }
  }
}
