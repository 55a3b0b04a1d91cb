import type { Request } from 'express';

/**
 * What a GraphQL request over HTTP names to run, read before Apollo reads it: a POST body (JSON, or the
 * `operations` part of a multipart upload, which the upload parser has made the body), or GET parameters.
 */
export interface DocumentRequest {
  /** GraphQL over HTTP's persisted document id: the `documentId` body field or GET parameter. */
  documentId?: string;
  /** Apollo's APQ extension, `extensions.persistedQuery.sha256Hash`. */
  apqHash?: string;
  query?: string;
  /** What is malformed, where Apollo would answer without a stable code (it reports those as internal). */
  malformed?: string;
  /** Puts trusted text in place of the ids, so Apollo sees an ordinary request for that document. */
  useDocument(text: string): void;
}

type Fields = Record<string, unknown>;
const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Null for what is not a single GraphQL request (a batch, the landing page): Apollo answers those. */
export function readDocumentRequest(req: Request): DocumentRequest | null {
  if (req.method === 'POST') return isRecord(req.body) ? fromBody(req.body) : null;
  if (req.method === 'GET') return fromSearch(req);
  return null;
}

function fromBody(body: Fields): DocumentRequest {
  const extensions = isRecord(body.extensions) ? body.extensions : undefined;
  return {
    ...fields(body.documentId, body.query, extensions?.persistedQuery),
    useDocument(text) {
      body.query = text;
      delete body.documentId;
      if (extensions) delete extensions.persistedQuery;
    },
  };
}

function fromSearch(req: Request): DocumentRequest | null {
  const at = req.url.indexOf('?');
  if (at < 0) return null;
  const params = new URLSearchParams(req.url.slice(at + 1));
  if (!params.has('documentId') && !params.has('query') && !params.has('extensions')) return null;
  // Unreadable extensions are Apollo's to refuse (BAD_REQUEST); only a readable one can name a document.
  let extensions: Fields | undefined;
  try {
    const parsed: unknown = JSON.parse(params.get('extensions') ?? 'null');
    if (isRecord(parsed)) extensions = parsed;
  } catch {
    extensions = undefined;
  }
  return {
    ...fields(
      params.get('documentId') ?? undefined,
      params.get('query') ?? undefined,
      extensions?.persistedQuery,
    ),
    useDocument(text) {
      params.set('query', text);
      params.delete('documentId');
      if (extensions) {
        delete extensions.persistedQuery;
        if (Object.keys(extensions).length) params.set('extensions', JSON.stringify(extensions));
        else params.delete('extensions');
      }
      req.url = `${req.url.slice(0, at)}?${params.toString()}`;
    },
  };
}

/**
 * The same for a graphql-ws subscribe message's payload: `documentId` beside `query` (which graphql-ws
 * requires; an empty one counts as absent), or the APQ extension.
 */
export function readSubscribePayload(payload: Fields, useDocument: (text: string) => void): DocumentRequest {
  const extensions = isRecord(payload.extensions) ? payload.extensions : undefined;
  const query = payload.query === '' ? undefined : payload.query;
  return { ...fields(payload.documentId, query, extensions?.persistedQuery), useDocument };
}

function fields(
  documentId: unknown,
  query: unknown,
  persistedQuery: unknown,
): Omit<DocumentRequest, 'useDocument'> {
  if (documentId !== undefined && documentId !== null && typeof documentId !== 'string')
    return { malformed: 'documentId must be a string: "sha256:" followed by 64 hex digits.' };
  const read = {
    ...(typeof documentId === 'string' && { documentId }),
    ...(typeof query === 'string' && { query }),
  };
  if (persistedQuery === undefined || persistedQuery === null) return read;
  if (
    !isRecord(persistedQuery) ||
    persistedQuery.version !== 1 ||
    typeof persistedQuery.sha256Hash !== 'string'
  )
    return {
      malformed: 'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }.',
    };
  return { ...read, apqHash: persistedQuery.sha256Hash };
}
