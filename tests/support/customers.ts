import type { TestApp } from './test-app';

export const ORG_FIELDS = 'id name slug version createdAt updatedAt';
export const FACILITY_FIELDS =
  'id code name addressLine1 addressLine2 city region postalCode countryCode timezone isActive version';

export interface OrgNode {
  id: string;
  name: string;
  slug: string;
  version: number;
}

export interface FacilityNode {
  id: string;
  code: string;
  postalCode: string | null;
  countryCode: string;
  timezone: string;
  version: number;
  [field: string]: unknown;
}

/** A valid US facility; override any field. */
export function facilityInput(organizationId: string, overrides: Record<string, unknown> = {}) {
  return {
    organizationId,
    code: 'CHI-1',
    name: 'Chicago DC',
    addressLine1: '2200 W Cermak Rd',
    city: 'Chicago',
    region: 'IL',
    postalCode: '60608',
    countryCode: 'US',
    timezone: 'America/Chicago',
    ...overrides,
  };
}

export async function createOrg(t: TestApp, token: string, input: Record<string, unknown>): Promise<OrgNode> {
  const res = await t.gql<{ createOrganization: OrgNode }>(
    `mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${ORG_FIELDS} } }`,
    { input },
    { token },
  );
  if (!res.data?.createOrganization)
    throw new Error(`createOrganization failed: ${JSON.stringify(res.errors)}`);
  return res.data.createOrganization;
}

export async function createFacility(
  t: TestApp,
  token: string,
  organizationId: string,
  overrides: Record<string, unknown> = {},
): Promise<FacilityNode> {
  const res = await t.gql<{ createFacility: FacilityNode }>(
    `mutation($input: CreateFacilityInput!) { createFacility(input: $input) { ${FACILITY_FIELDS} } }`,
    { input: facilityInput(organizationId, overrides) },
    { token },
  );
  if (!res.data?.createFacility) throw new Error(`createFacility failed: ${JSON.stringify(res.errors)}`);
  return res.data.createFacility;
}
