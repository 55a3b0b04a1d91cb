/**
 * A small browser client written against what codegen generates from tests/contract/operations. The
 * contract test copies this file beside the generated `./gql` folder and type-checks both under `strict`
 * (tsconfig.json leaves it out: `./gql` exists only there). Each `@ts-expect-error` line is a type the
 * generated code must refuse: were a scalar `any`, the directive would be unused, which is an error.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useFragment } from './gql';
import {
  CreateFacilityDocument,
  DeliveryOptionFieldsFragmentDoc,
  FacilitiesDocument,
  FacilityDeliveryOptionsDocument,
  FacilityFieldsFragmentDoc,
  ImportCarriersDocument,
  ImportDocument,
  ImportFieldsFragmentDoc,
  MeDocument,
  NodeDocument,
  NodesDocument,
  OrganizationFieldsFragmentDoc,
  OrganizationsDocument,
  PageInfoFieldsFragmentDoc,
  SignInDocument,
  UpdateOrganizationDocument,
  ViewerFragmentDoc,
  type CreateFacilityInput,
  type ImportCarriersMutationVariables,
  type MeQueryVariables,
  type NodeQuery,
  type OrganizationFieldsFragment,
  type OrganizationsQuery,
  type OrganizationsQueryVariables,
  type RunStatus,
} from './gql/graphql';

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

export class GatewayError extends Error {
  constructor(readonly errors: GraphQLError[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

/** The manifest id the client preset puts on each document (`persistedDocuments: true`). */
function documentIdOf(document: TypedDocumentNode<unknown, never>): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash?.startsWith('sha256:')) throw new Error('not a persisted document: regenerate the client');
  return hash;
}

/** Sends document ids, never document text: the gateway runs only its manifests' documents. */
export class GatewayClient {
  constructor(
    private readonly url: string,
    private token: string | null = null,
  ) {}

  async execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    return this.send<TResult>(
      { 'content-type': 'application/json' },
      JSON.stringify({ documentId: documentIdOf(document), variables }),
    );
  }

  /** A GraphQL multipart request: the file travels as a form part, its variable as null. */
  async upload<TResult, TVariables extends { file: File | Blob }>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    fileName: string,
  ): Promise<TResult> {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ documentId: documentIdOf(document), variables: { file: null } }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', variables.file, fileName);
    // CSRF prevention refuses a multipart request without this header.
    return this.send<TResult>({ 'apollo-require-preflight': 'true' }, form);
  }

  signedInAs(token: string): void {
    this.token = token;
  }

  private async send<TResult>(headers: Record<string, string>, body: string | FormData): Promise<TResult> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { ...headers, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body,
    });
    const answer = (await res.json()) as { data?: TResult | null; errors?: GraphQLError[] };
    if (answer.errors?.length) throw new GatewayError(answer.errors);
    if (!answer.data) throw new Error(`HTTP ${res.status} without data`);
    return answer.data;
  }
}

export async function signIn(client: GatewayClient, email: string, password: string) {
  const { login } = await client.execute(SignInDocument, { email, password });
  client.signedInAs(login.token);
  const viewer = useFragment(ViewerFragmentDoc, login.user);
  return {
    viewer,
    expiresAt: new Date(login.expiresAt),
    lastLogin: viewer.lastLoginAt === null ? null : new Date(viewer.lastLoginAt),
    canImport: viewer.permissions.includes('imports:run'),
  };
}

export async function whoAmI(client: GatewayClient): Promise<string | null> {
  const { me } = await client.execute(MeDocument, {});
  return me ? useFragment(ViewerFragmentDoc, me).email : null;
}

/** Every organization, page after page, each with the codes of its first facilities. */
export async function allOrganizations(client: GatewayClient, search?: string) {
  const rows: Array<{ name: string; since: Date; facilityCodes: string[]; moreFacilities: boolean }> = [];
  let after: string | null = null;
  for (;;) {
    const variables: OrganizationsQueryVariables = {
      first: 50,
      after,
      filter: { search },
      orderBy: 'NAME_ASC',
    };
    const { organizations } = await client.execute(OrganizationsDocument, variables);
    if (!organizations) return rows; // null with FORBIDDEN: organizations:read is missing
    for (const edge of organizations.edges) {
      const org = useFragment(OrganizationFieldsFragmentDoc, edge.node);
      const facilities = edge.node.facilities.edges.map(({ node }) =>
        useFragment(FacilityFieldsFragmentDoc, node),
      );
      rows.push({
        name: org.name,
        since: new Date(org.createdAt),
        facilityCodes: facilities.map((f) => f.code),
        moreFacilities: useFragment(PageInfoFieldsFragmentDoc, edge.node.facilities.pageInfo).hasNextPage,
      });
    }
    const page = useFragment(PageInfoFieldsFragmentDoc, organizations.pageInfo);
    if (!page.hasNextPage || page.endCursor === null) return rows;
    after = page.endCursor;
  }
}

/** The page before a cursor (a list scrolled back up): last/before, newest facilities first. */
export async function facilitiesBefore(client: GatewayClient, organizationId: string, before: string) {
  const { facilities } = await client.execute(FacilitiesDocument, {
    organizationId,
    last: 10,
    before,
    orderBy: 'CREATED_AT_DESC',
  });
  if (!facilities) return { items: [], earlier: null };
  const page = useFragment(PageInfoFieldsFragmentDoc, facilities.pageInfo);
  return {
    items: facilities.edges.map((edge) => {
      const f = useFragment(FacilityFieldsFragmentDoc, edge.node);
      const updated: number = new Date(f.updatedAt).getTime();
      return { cursor: edge.cursor, label: `${f.code} ${f.postalCode ?? ''}`.trim(), updated };
    }),
    earlier: page.hasPreviousPage ? page.startCursor : null,
  };
}

export async function addFacility(client: GatewayClient, input: CreateFacilityInput) {
  const { createFacility } = await client.execute(CreateFacilityDocument, { input });
  return useFragment(FacilityFieldsFragmentDoc, createFacility);
}

/** A rename based on the version last read: CONFLICT when someone changed it since. */
export async function rename(client: GatewayClient, org: OrganizationFieldsFragment, name: string) {
  const { updateOrganization } = await client.execute(UpdateOrganizationDocument, {
    input: { id: org.id, name, expectedVersion: org.version },
  });
  return useFragment(OrganizationFieldsFragmentDoc, updateOrganization);
}

/** Uploads a carrier file and polls the import until it settles. */
export async function importCarrierFile(client: GatewayClient, file: File | Blob, fileName: string) {
  const { importCarriers } = await client.upload(ImportCarriersDocument, { file }, fileName);
  if (!importCarriers) throw new Error('the upload was refused');
  let status: RunStatus = useFragment(ImportFieldsFragmentDoc, importCarriers).status;
  const id = useFragment(ImportFieldsFragmentDoc, importCarriers).id;
  for (;;) {
    const { import: polled } = await client.execute(ImportDocument, { id });
    if (!polled) throw new Error(`import ${id} is gone`);
    status = useFragment(ImportFieldsFragmentDoc, polled).status;
    switch (status) {
      case 'PENDING':
      case 'RUNNING':
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      case 'SUCCEEDED':
        return { status, rows: useFragment(ImportFieldsFragmentDoc, polled).rowsImported };
      case 'FAILED':
        return {
          status,
          errors: polled.errors.edges.map(({ node: e }) => `row ${e.rowNumber} ${e.column}: ${e.message}`),
        };
      default:
        // RunStatus may gain values: a newer gateway's status is shown, not crashed on.
        return { status, errors: [] };
    }
  }
}

export async function fastestFrom(client: GatewayClient, facilityId: string, destinationPostalCode: string) {
  const { facilityDeliveryOptions } = await client.execute(FacilityDeliveryOptionsDocument, {
    facilityId,
    destinationPostalCode,
    maxTransitDays: 5,
  });
  const options = (facilityDeliveryOptions ?? []).map((o) => useFragment(DeliveryOptionFieldsFragmentDoc, o));
  const days: number[] = options.map((o) => o.transitDays);
  return { days, labels: options.map((o) => `${o.carrier.code} ${o.service.code}: ${o.transitDays}d`) };
}

/** node(id:): the result is narrowed by __typename to the fields of that type's inline fragment. */
export async function describeNode(client: GatewayClient, id: string): Promise<string> {
  const { node } = await client.execute(NodeDocument, { id });
  if (!node) return 'nothing';
  switch (node.__typename) {
    case 'Organization':
      return `organization ${node.name} (${node.slug}), version ${node.version}`;
    case 'Facility':
      return `facility ${node.code} of ${node.organization.id}`;
    case 'User':
      return node.isActive ? `user ${node.email}` : `user ${node.email} (deactivated)`;
    case 'Role':
      return `${node.builtIn ? 'built-in' : 'custom'} role ${node.name}`;
    case 'Carrier':
      return `carrier ${node.code}${node.isActive ? '' : ' (inactive)'}`;
    case 'CarrierService':
      return `service ${node.code} of ${node.carrier.id}`;
    case 'Import':
    case 'IntegrationRun':
      return `${node.__typename} ${node.kind} ${node.status}`;
    case 'ImportError':
      return `import error ${node.id}`;
    default: {
      const unknownType: never = node;
      return `unknown ${String(unknownType)}`;
    }
  }
}

/** nodes(ids:): several types at once, in the order asked, null for ids that name nothing. */
export async function facilityCodes(client: GatewayClient, ids: string[]): Promise<string[]> {
  const { nodes } = await client.execute(NodesDocument, { ids });
  return (nodes ?? []).flatMap((node) => (node?.__typename === 'Facility' ? [node.code] : []));
}

/** What the generated types must refuse; never called. */
export function refusedByTheTypes(
  org: OrganizationFieldsFragment,
  page: OrganizationsQuery,
  node: NodeQuery['node'],
) {
  // @ts-expect-error: a DateTimeISO arrives as a string (strictScalars), never as a Date
  const created: Date = org.createdAt;
  // @ts-expect-error: Me takes no variables
  const meVariables: MeQueryVariables = { id: org.id };
  // @ts-expect-error: not an OrganizationOrder (enums are string unions)
  const order: OrganizationsQueryVariables = { orderBy: 'SLUG_ASC' };
  // @ts-expect-error: an Upload is a File or a Blob, never the CSV text
  const upload: ImportCarriersMutationVariables = { file: 'carrier_code,carrier_name' };
  // @ts-expect-error: organizationId, the address and the time zone are required
  const input: CreateFacilityInput = { code: 'CHI-2', name: 'Chicago 2' };
  // @ts-expect-error: fragment masking: an edge's fields are read through useFragment
  const masked: string | undefined = page.organizations?.edges[0]?.node.name;
  // @ts-expect-error: slug is selected on Organization only
  const slug: unknown = node?.__typename === 'Facility' ? node.slug : null;
  return [created, meVariables, order, upload, input, masked, slug];
}
