import { randomUUID } from 'node:crypto';
import type { AppConfig } from '../../platform/config';
import type { Logger } from '../../platform/logger';
import type { RecordRequest } from '../observability.plugin';
import { loadManifests, NO_DOCUMENTS, type TrustedDocuments } from './manifest';
import { persistedDocuments } from './persisted-documents.middleware';

/**
 * The trusted documents in force, read once at start (a bad manifest throws a ConfigError naming it and
 * the entry), and said in the log: what is loaded, or why nothing is.
 */
export function setUpTrustedDocuments(config: AppConfig, logger: Logger) {
  const { mode, manifests } = config.persistedDocuments;
  const dev = config.env === 'development';
  let documents: TrustedDocuments = NO_DOCUMENTS;
  if (mode === 'off') {
    if (manifests.length)
      logger.warn({ manifests }, 'PERSISTED_DOCUMENTS=off: PERSISTED_DOCUMENTS_MANIFESTS is not loaded');
    if (config.env === 'production')
      logger.warn(
        "PERSISTED_DOCUMENTS=off in production: any document a client sends runs; name the client builds' " +
          'manifests in PERSISTED_DOCUMENTS_MANIFESTS (docs/SECURITY.md, "Trusted documents")',
      );
  } else {
    documents = loadManifests(manifests);
    const operations = documents.operationNames.size;
    logger.info({ mode, manifests, documents: documents.size, operations }, 'persisted documents loaded');
  }
  return {
    mode,
    documents,
    /** Sandbox and ad-hoc introspection; `require` keeps them to development. */
    adHocTools: dev || mode !== 'require',
    /** The Express middleware in front of Apollo; what it refuses is recorded like any request. */
    middleware: (record: RecordRequest) =>
      persistedDocuments({
        mode,
        documents,
        // Codegen and Sandbox's schema view introspect a development server, also in `require` mode.
        introspectionAdHoc: dev,
        maxTokens: config.limits.maxTokens,
        onRefused: (req, code, seconds) => {
          const requestId = req.get('x-request-id') ?? randomUUID();
          record({ requestId, operation: null, userId: null, codes: [code], seconds });
        },
      }),
  };
}
