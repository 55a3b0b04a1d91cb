import type { Request, RequestHandler } from 'express';
import { Kind, parse } from 'graphql';
import { readDocumentRequest, type DocumentRequest } from './document-request';
import { sha256Hex, sha256Of, type TrustedDocuments } from './manifest';

/** PERSISTED_DOCUMENTS: `off` runs what clients send, `allow` also manifest ids, `require` only those. */
export type PersistedMode = 'off' | 'allow' | 'require';

/** The codes a refused request carries; stable, part of the API contract (docs/OPS_RUNBOOK.md). */
export const PersistedCode = {
  NotFound: 'PERSISTED_QUERY_NOT_FOUND',
  Required: 'PERSISTED_QUERY_REQUIRED',
  NotSupported: 'PERSISTED_QUERY_NOT_SUPPORTED',
  HashMismatch: 'PERSISTED_QUERY_HASH_MISMATCH',
  BadRequest: 'BAD_REQUEST',
} as const;

export interface Refusal {
  status: number;
  code: (typeof PersistedCode)[keyof typeof PersistedCode];
  message: string;
}

export interface PersistedDocumentsOptions {
  mode: PersistedMode;
  documents: TrustedDocuments;
  /** In `require` mode, still run ad-hoc documents that only introspect (development: Sandbox, codegen). */
  introspectionAdHoc: boolean;
  maxTokens: number;
  /** Each refused request, for the request log and metrics (Apollo never sees it). */
  onRefused(req: Request, code: string, seconds: number): void;
}

/**
 * Trusted documents, in front of Apollo: a manifest id (`documentId`, or the APQ extension's hash) becomes
 * the manifest's text before Apollo reads the request, so it runs as an ordinary document with every
 * limit, and everything Apollo's APQ does not own is refused here, before a session is looked up or a
 * document parsed: an id no manifest has (404), an ad-hoc document in `require` mode (400). Real APQ
 * clients are left to Apollo in `off` and `allow`, but a hash that is not the query's own is refused with a
 * code instead of reaching Apollo, which reports it as an internal error.
 */
export function persistedDocuments(options: PersistedDocumentsOptions): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const request = readDocumentRequest(req);
    const refusal = request && decide(request, options);
    if (!refusal) return next();
    options.onRefused(req, refusal.code, Number(process.hrtime.bigint() - started) / 1e9);
    // As Apollo does for its APQ misses: a document deployed a minute later must not be cached as missing.
    res.status(refusal.status).set('cache-control', 'private, no-cache, must-revalidate');
    res.json({ errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
  };
}

/** The document rules alone, also for subscribe messages over WebSocket (src/graphql/subscriptions). */
export type DocumentRules = Pick<
  PersistedDocumentsOptions,
  'mode' | 'documents' | 'introspectionAdHoc' | 'maxTokens'
>;

/** Null when the request may go on (with a manifest id replaced by its text), else why it is refused. */
export function decide(request: DocumentRequest, options: DocumentRules): Refusal | null {
  const { documentId, apqHash, query } = request;
  const { mode, documents } = options;
  if (request.malformed) return refuse(400, 'BadRequest', request.malformed);
  if (documentId !== undefined) {
    if (query !== undefined) return refuse(400, 'BadRequest', 'Send either documentId or query, not both.');
    if (mode === 'off')
      return refuse(400, 'NotSupported', 'This server runs no persisted documents: send the query text.');
    if (sha256Hex(documentId) === null)
      return refuse(
        400,
        'BadRequest',
        `documentId must be "sha256:" followed by 64 hex digits. ${PRESET_HINT}`,
      );
  }
  const id = documentId ?? apqHash;
  if (id !== undefined && mode !== 'off') {
    const text = documents.get(id);
    if (text !== undefined) {
      request.useDocument(text);
      return null;
    }
    // A plain hex hash no manifest has is Apollo's APQ in `allow` mode (a client registers it by sending the
    // text with it); any other id names a document this gateway's manifests lack.
    if (documentId !== undefined || mode === 'require' || sha256Hex(id) !== id) return notFound(id);
  }
  // Apollo would verify this too, but answers a mismatch without a code, which reads as a server bug.
  if (apqHash !== undefined && query !== undefined && sha256Of(query) !== apqHash)
    return refuse(400, 'HashMismatch', HASH_MISMATCH);
  if (
    mode === 'require' &&
    query !== undefined &&
    !(options.introspectionAdHoc && introspects(query, options))
  )
    return refuse(400, 'Required', REQUIRED);
  return null;
}

const PRESET_HINT =
  "The client preset writes such ids with persistedDocuments: { hashAlgorithm: 'sha256' } (its default).";
const REQUIRED =
  'This server runs only persisted documents (PERSISTED_DOCUMENTS=require): send {"documentId": "sha256:…"} ' +
  "from the client build's persisted-documents.json instead of the query text.";
const HASH_MISMATCH =
  'extensions.persistedQuery.sha256Hash is not the SHA-256 (lowercase hex) of the query sent: an APQ client ' +
  "hashes the exact text it sends; a client preset's id must be in the gateway's manifests.";

const refuse = (status: number, code: keyof typeof PersistedCode, message: string): Refusal => ({
  status,
  code: PersistedCode[code],
  message,
});

const notFound = (id: string): Refusal =>
  refuse(
    404,
    'NotFound',
    `No persisted document "${id.slice(0, 80)}" in this gateway's manifests: deploy the client build and its ` +
      'persisted-documents.json (PERSISTED_DOCUMENTS_MANIFESTS) together; a page of another build needs a reload.',
  );

/** Whether every operation selects only introspection fields (`__schema`, `__type`, `__typename`). */
function introspects(query: string, { maxTokens }: { maxTokens: number }): boolean {
  try {
    const operations = parse(query, { maxTokens, noLocation: true }).definitions.filter(
      (d) => d.kind === Kind.OPERATION_DEFINITION,
    );
    return (
      operations.length > 0 &&
      operations.every((op) =>
        op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')),
      )
    );
  } catch {
    return false; // Not a document it could run: refused like any other ad-hoc text.
  }
}
