import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse } from 'graphql';
import { ConfigError } from '../../platform/config';
import { projectRoot } from '../../platform/paths';

/**
 * The documents the client builds may run, from the manifests graphql-codegen's client preset writes with
 * `persistedDocuments` (`persisted-documents.json`: `{ "<id>": "<document text>" }`). An id is the SHA-256
 * of the text: `sha256:<hex>` (GraphQL over HTTP's document identifier, what client preset 6 writes by
 * default) or the plain hex (older presets, or a custom hashAlgorithm); both spellings name one document.
 */
export interface TrustedDocuments {
  /** The document text for an id in either spelling, or undefined. */
  get(id: string): string | undefined;
  /** Every operation name in the manifests: the operations metrics may label by name. */
  readonly operationNames: ReadonlySet<string>;
  readonly size: number;
}

const ID = /^(?:sha256:)?([0-9a-f]{64})$/i;

/** The 64 lowercase hex digits of a SHA-256 id in either spelling, or null when it is not one. */
export function sha256Hex(id: string): string | null {
  const match = ID.exec(id);
  return match ? match[1].toLowerCase() : null;
}

export const sha256Of = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const NO_DOCUMENTS: TrustedDocuments = { get: () => undefined, operationNames: new Set(), size: 0 };

/**
 * Reads every manifest once, at start. Anything wrong stops the start naming the file and the entry: a
 * manifest the gateway half understood would refuse the client build it belongs to, request by request.
 */
export function loadManifests(files: string[]): TrustedDocuments {
  const byHex = new Map<string, string>();
  const operationNames = new Set<string>();
  const problems: string[] = [];
  for (const file of files) {
    const where = `PERSISTED_DOCUMENTS_MANIFESTS: ${file}`;
    let entries: Array<[string, unknown]>;
    try {
      entries = readEntries(path.resolve(projectRoot, file));
    } catch (err) {
      problems.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const [id, text] of entries) {
      const problem = checkEntry(id, text);
      if (problem) {
        problems.push(`${where}: "${id.slice(0, 80)}" ${problem}`);
        continue;
      }
      byHex.set(sha256Hex(id)!, text as string);
      for (const name of operationsOf(text as string)) if (name) operationNames.add(name);
    }
  }
  if (problems.length) throw new ConfigError(problems.slice(0, 20));
  return {
    get: (id) => {
      const hex = sha256Hex(id);
      return hex === null ? undefined : byHex.get(hex);
    },
    operationNames,
    size: byHex.size,
  };
}

function readEntries(file: string): Array<[string, unknown]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    throw new Error(`is not JSON (${(err as Error).message})`);
  }
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest))
    throw new Error('must be a JSON object of "<sha256 id>": "<document>" (the client preset\'s format)');
  const entries = Object.entries(manifest);
  if (!entries.length) throw new Error('holds no documents: is it the output of a build?');
  return entries;
}

/** Why an entry cannot be trusted, or null when it can. */
function checkEntry(id: string, text: unknown): string | null {
  const hex = sha256Hex(id);
  if (hex === null) {
    return /^[0-9a-f]{40}$/i.test(id)
      ? "is a SHA-1 id (hashAlgorithm 'sha1', older presets' default): set persistedDocuments: { hashAlgorithm: 'sha256' }"
      : 'is not a SHA-256 id ("sha256:" and 64 hex digits, or the 64 digits alone)';
  }
  if (typeof text !== 'string' || !text.trim()) return 'must map to the document text';
  // The id must be the text's hash: APQ clients send that hash, and a hand-edited entry is caught here.
  if (sha256Of(text) !== hex) return 'is not the SHA-256 of its document (edited by hand, or another hash?)';
  try {
    if (!operationsOf(text).length) return 'holds no operation (only fragments?)';
  } catch (err) {
    return `does not parse: ${(err as Error).message}`;
  }
  return null;
}

/** The name of each operation in a document (null for an unnamed one). */
function operationsOf(text: string): Array<string | null> {
  return parse(text, { noLocation: true })
    .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => d.name?.value ?? null);
}
