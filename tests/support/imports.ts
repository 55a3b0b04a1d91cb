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
  errors: Array<{ rowNumber: number; column: string; message: string }>;
  run: {
    status: string;
    rowsTotal: number;
    rowsImported: number;
    rowsRejected: number;
    errorSummary: string | null;
  };
}

const IMPORT_FIELDS = `id kind status fileName sha256 rowsTotal rowsProcessed rowsImported rowsRejected errorSummary
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
  opts: { preflight?: boolean; fileName?: string } = {},
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
      query: `mutation($file: Upload!) { ${mutation}(file: $file) { id status } }`,
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
): Promise<ImportView> {
  const res = await uploadCsv(t, mutation, csv, user);
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
