import path from 'node:path';
import type { AppConfig } from '../platform/config';
import type { Logger } from '../platform/logger';
import { projectRoot } from '../platform/paths';
import type { DatabaseUrls } from '../platform/db/databases';
import { startEmbeddedPostgres, type EmbeddedServer } from '../platform/db/embedded';

export interface ResolvedTarget {
  urls: DatabaseUrls;
  embedded: EmbeddedServer | null;
  /** True the first time the embedded databases were created: demo data goes in then, and only then. */
  freshEmbedded: boolean;
}

export const EMBEDDED_DATABASES = {
  single: 'backoffice',
  primary: 'backoffice_primary',
  data: 'backoffice_data',
};

/** Turns configuration into two connection URLs, starting the embedded server when none is configured. */
export async function resolveTarget(config: AppConfig, logger?: Logger): Promise<ResolvedTarget> {
  const db = config.database;
  const direct = config.directUrls;
  if (db.kind === 'single')
    return {
      urls: { mode: 'single', primary: db.url, data: db.url, direct },
      embedded: null,
      freshEmbedded: false,
    };
  if (db.kind === 'split')
    return {
      urls: { mode: 'split', primary: db.primaryUrl, data: db.dataUrl, direct },
      embedded: null,
      freshEmbedded: false,
    };

  const embedded = await startEmbeddedPostgres({
    dir: path.resolve(projectRoot, db.dir),
    port: db.port,
    logger,
  });
  const names = db.split
    ? [EMBEDDED_DATABASES.primary, EMBEDDED_DATABASES.data]
    : [EMBEDDED_DATABASES.single, EMBEDDED_DATABASES.single];
  let fresh = false;
  for (const name of new Set(names)) fresh = (await embedded.ensureDatabase(name)) || fresh;
  return {
    urls: {
      mode: db.split ? 'split' : 'single',
      // Loopback to a server of our own that has no certificate: no TLS, and no probe for it at each start.
      primary: `${embedded.baseUrl}/${names[0]}?sslmode=disable`,
      data: `${embedded.baseUrl}/${names[1]}?sslmode=disable`,
    },
    embedded,
    freshEmbedded: fresh,
  };
}
