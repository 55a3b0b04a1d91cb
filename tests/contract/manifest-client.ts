import { Kind, parse, type OperationDefinitionNode } from 'graphql';

export interface Answer<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  headers: Headers;
}

export interface SendOptions {
  /** Overrides the signed-in token for this request; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** The operation a persisted document holds (the manifest has one per operation, with its fragments). */
export function operationOf(text: string): OperationDefinitionNode {
  const operations = parse(text, { noLocation: true }).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || !operations[0].name)
    throw new Error(`a manifest document must hold one named operation: ${text.slice(0, 80)}`);
  return operations[0];
}

/**
 * A client that knows only a client build's persisted-documents.json: it names each document by its
 * operation and sends its id (`documentId`), never its text, and records which operations it ran.
 */
export class ManifestClient {
  readonly idOf = new Map<string, string>();
  readonly ran = new Set<string>();
  token: string | null = null;

  constructor(
    private readonly url: string,
    manifest: Record<string, string>,
  ) {
    for (const [id, text] of Object.entries(manifest)) this.idOf.set(operationOf(text).name!.value, id);
  }

  /** The id of an operation's document, recorded as run (for subscriptions, which go over a socket). */
  idFor(operation: string): string {
    return this.documentId(operation);
  }

  private documentId(operation: string): string {
    const id = this.idOf.get(operation);
    if (!id) throw new Error(`no operation ${operation} in the generated manifest`);
    this.ran.add(operation);
    return id;
  }

  private async post<T>(headers: Record<string, string>, body: string | FormData, opts: SendOptions) {
    const token = opts.token === undefined ? this.token : opts.token;
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers },
      body,
    });
    return { status: res.status, headers: res.headers, ...((await res.json()) as object) } as Answer<T>;
  }

  /** POSTs `{ documentId, variables }` as JSON. */
  send<T>(operation: string, variables: Record<string, unknown> = {}, opts: SendOptions = {}) {
    const body = JSON.stringify({ documentId: this.documentId(operation), variables });
    return this.post<T>({ 'content-type': 'application/json' }, body, opts);
  }

  /** The data of a request that must succeed: HTTP 200 and no error. */
  async ok<T>(
    operation: string,
    variables: Record<string, unknown> = {},
    opts: SendOptions = {},
  ): Promise<T> {
    const res = await this.send<T>(operation, variables, opts);
    expect({ operation, status: res.status, errors: res.errors }).toEqual({
      operation,
      status: 200,
      errors: undefined,
    });
    return res.data!;
  }

  /**
   * A GraphQL multipart request whose operations part names the document by id and whose one file is the
   * `file` variable; CSRF prevention wants the apollo-require-preflight header on it.
   */
  async upload<T>(
    operation: string,
    csv: string,
    fileName: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ documentId: this.documentId(operation), variables: { ...variables, file: null } }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([csv], { type: 'text/csv' }), fileName);
    const res = await this.post<T>({ 'apollo-require-preflight': 'true' }, form, {});
    expect({ operation, status: res.status, errors: res.errors }).toEqual({
      operation,
      status: 200,
      errors: undefined,
    });
    return res.data!;
  }

  /** Any JSON body, for what a client of another build (or no build) would send. */
  raw<T>(body: unknown, opts: SendOptions = {}) {
    return this.post<T>({ 'content-type': 'application/json' }, JSON.stringify(body), opts);
  }
}
