import type { TestUser } from './auth';
import type { TestApp } from './test-app';

export interface ImportView {
  id: string;
  kind: string;
  status: string;
  fileName: string;
  sha256: string | null;
  rowsTotal: number;
  rowsProcessed: number;
  rowsImported: number;
  rowsRejected: number;
  errorSummary: string | null;
  errorsOmitted: number;
  errors: Array<{ rowNumber: number; column: string; message: string }>;
  run: {
    status: string;
    rowsTotal: number;
    rowsImported: number;
    rowsRejected: number;
    errorSummary: string | null;
  };
}

const IMPORT_FIELDS = `id kind status fileName sha256 rowsTotal rowsProcessed rowsImported rowsRejected errorSummary errorsOmitted
  errors(first: 100) { edges { node { rowNumber column message } } pageInfo { hasNextPage endCursor } }
  run { status rowsTotal rowsImported rowsRejected errorSummary }`;

interface ErrorPage {
  edges: Array<{ node: ImportView['errors'][number] }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
type ImportPage = Omit<ImportView, 'errors'> & { errors: ErrorPage };

export type ImportMutation = 'importDeliveryMatrix' | 'importCarriers';

/** Sends a GraphQL multipart request (the spec's operations, map, file parts) the way a browser client does. */
export async function uploadCsv(
  t: TestApp,
  mutation: ImportMutation,
  csv: string,
  user: TestUser,
  opts: { preflight?: boolean; fileName?: string; mode?: 'APPLY' | 'PREVIEW' } = {},
): Promise<{
  status: number;
  body: {
    data?: Record<string, { id: string; status: string } | null>;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($file: Upload!) { ${mutation}(file: $file${opts.mode ? `, mode: ${opts.mode}` : ''}) { id status } }`,
      variables: { file: null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([csv], { type: 'text/csv' }), opts.fileName ?? 'upload.csv');
  const res = await fetch(t.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${user.token}`,
      ...(opts.preflight === false ? {} : { 'apollo-require-preflight': 'true' }),
    },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as never };
}

/** The import, with every error it kept: the first page with it, the others page by page. */
export async function fetchImport(t: TestApp, id: string, user: TestUser): Promise<ImportView> {
  const res = await t.gql<{ import: ImportPage }>(
    `query($id: ID!) { import(id: $id) { ${IMPORT_FIELDS} } }`,
    { id },
    user,
  );
  if (!res.data?.import) throw new Error(`import ${id} not readable: ${JSON.stringify(res.errors)}`);
  const { errors, ...imp } = res.data.import;
  const all = errors.edges.map((e) => e.node);
  let { pageInfo } = errors;
  while (pageInfo.hasNextPage) {
    const next = await t.gql<{ import: { errors: ErrorPage } }>(
      `query($id: ID!, $after: String) { import(id: $id) {
         errors(first: 100, after: $after) { edges { node { rowNumber column message } } pageInfo { hasNextPage endCursor } } } }`,
      { id, after: pageInfo.endCursor },
      user,
    );
    if (!next.data?.import) throw new Error(`errors of ${id} not readable: ${JSON.stringify(next.errors)}`);
    all.push(...next.data.import.errors.edges.map((e) => e.node));
    pageInfo = next.data.import.errors.pageInfo;
  }
  return { ...imp, errors: all };
}

/** Polls import(id) the way a client follows progress, until it has finished. */
export async function waitForImport(
  t: TestApp,
  id: string,
  user: TestUser,
  timeoutMs = 60_000,
): Promise<ImportView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const imp = await fetchImport(t, id, user);
    // The run (primary) is closed just after the import (data) commits: wait for both (docs/IMPORTS.md).
    const final = (status: string | undefined) =>
      status === 'SUCCEEDED' || status === 'FAILED' || status === 'PREVIEWED';
    if (final(imp.status) && (!imp.run || final(imp.run.status))) return imp;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${imp.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Uploads and waits; fails the test if the upload itself is refused. */
export async function importCsv(
  t: TestApp,
  mutation: ImportMutation,
  csv: string,
  user: TestUser,
  opts: { mode?: 'APPLY' | 'PREVIEW' } = {},
): Promise<ImportView> {
  const res = await uploadCsv(t, mutation, csv, user, opts);
  const started = res.body.data?.[mutation];
  if (!started) throw new Error(`upload refused (${res.status}): ${JSON.stringify(res.body.errors)}`);
  return waitForImport(t, started.id, user);
}

export const MATRIX_HEADER = 'carrier_code,service_code,origin_zip3,destination_zip3,transit_days';

/** `rows` distinct matrix lanes spread over the given services, transit days derived from the position. */
export function matrixCsv(
  rows: number,
  services: Array<[string, string]>,
  transit = (i: number) => i % 31,
): string {
  const lines = [MATRIX_HEADER];
  for (let i = 0; i < rows; i += 1) {
    const [carrier, service] = services[i % services.length];
    const k = Math.floor(i / services.length);
    const origin = String(Math.floor(k / 1000)).padStart(3, '0');
    const destination = String(k % 1000).padStart(3, '0');
    lines.push(`${carrier},${service},${origin},${destination},${transit(i)}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface LaneChangeSetView {
  count: number;
  examples: Array<{
    originZip3: string;
    destinationZip3: string;
    transitDaysBefore: number | null;
    transitDaysAfter: number | null;
  }>;
}

export interface ServiceLaneChangesView {
  service: { code: string; carrier: { code: string } };
  lanesBefore: number;
  lanesAfter: number;
  added: LaneChangeSetView;
  removed: LaneChangeSetView;
  changed: LaneChangeSetView;
}

const SET = 'count examples { originZip3 destinationZip3 transitDaysBefore transitDaysAfter }';

/** Uploads a matrix file as a preview and waits until it is PREVIEWED (or FAILED); answers its lane changes. */
export async function previewCsv(
  t: TestApp,
  csv: string,
  user: TestUser,
): Promise<ImportView & { laneChanges: ServiceLaneChangesView[] | null; previewExpiresAt: string | null }> {
  const imp = await importCsv(t, 'importDeliveryMatrix', csv, user, { mode: 'PREVIEW' });
  const res = await t.gql<{
    import: { laneChanges: ServiceLaneChangesView[] | null; previewExpiresAt: string | null };
  }>(
    `query($id: ID!) { import(id: $id) { previewExpiresAt laneChanges {
       service { code carrier { code } } lanesBefore lanesAfter
       added { ${SET} } removed { ${SET} } changed { ${SET} } } } }`,
    { id: imp.id },
    user,
  );
  if (!res.data?.import) throw new Error(`preview ${imp.id} not readable: ${JSON.stringify(res.errors)}`);
  return { ...imp, ...res.data.import };
}

/** applyImport as a client sends it; answers the import's status, or the error. */
export async function applyImport(t: TestApp, id: string, user: TestUser) {
  return t.gql<{ applyImport: { import: { id: string; status: string; rowsImported: number } } }>(
    'mutation($input: ApplyImportInput!) { applyImport(input: $input) { import { id status rowsImported } } }',
    { input: { id } },
    user,
  );
}
