import type { GatewayProcess } from './gateway-process';
import { ADMIN } from './topology';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** A GraphQL request as a client sends it (JSON POST, bearer token when given). */
export async function gql<T = Record<string, unknown>>(
  gateway: Pick<GatewayProcess, 'url'>,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GqlResult<T>> {
  const res = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GqlResult<T>, 'status'>;
  return { status: res.status, ...body };
}

export async function login(gateway: Pick<GatewayProcess, 'url'>): Promise<string> {
  const res = await gql<{ login: { token: string } }>(
    gateway,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: ADMIN.email, p: ADMIN.password },
  );
  if (!res.data?.login) throw new Error(`login failed: ${JSON.stringify(res.errors)}`);
  return res.data.login.token;
}

/** Uploads a CSV over the GraphQL multipart request spec and waits until the import has finished. */
export async function importCsv(
  gateway: Pick<GatewayProcess, 'url'>,
  token: string,
  mutation: 'importCarriers' | 'importDeliveryMatrix',
  csv: string,
): Promise<{ status: string; rowsImported: number; errorSummary: string | null }> {
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({
      query: `mutation($f: Upload!) { ${mutation}(file: $f) { id } }`,
      variables: { f: null },
    }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.f'] }));
  form.append('0', new Blob([csv], { type: 'text/csv' }), 'file.csv');
  const res = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    body: form,
  });
  const body = (await res.json()) as { data?: Record<string, { id: string } | null>; errors?: unknown };
  const id = body.data?.[mutation]?.id;
  if (!id) throw new Error(`upload refused: ${JSON.stringify(body)}`);
  for (let i = 0; i < 200; i += 1) {
    const poll = await gql<{ import: { status: string; rowsImported: number; errorSummary: string | null } }>(
      gateway,
      'query($id: ID!) { import(id: $id) { status rowsImported errorSummary } }',
      { id },
      token,
    );
    const imp = poll.data?.import;
    if (imp && imp.status !== 'PENDING' && imp.status !== 'RUNNING') return imp;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${id} did not finish`);
}

/** Polls `probe` every `everyMs` until it returns true; resolves with the milliseconds it took. */
export async function timeUntil(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 50,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await probe()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`not true within ${timeoutMs} ms`);
}

export async function health(
  gateway: Pick<GatewayProcess, 'url'>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL('/health', gateway.url));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
