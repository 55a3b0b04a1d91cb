import type { AppConfig } from '../platform/config';
import { resolveConnection } from '../platform/db/connect';
import { directUrl, type DatabaseUrls } from '../platform/db/databases';
import { describeTls, verifiesServer } from '../platform/db/pg-config';
import { DOMAINS } from '../platform/domains';
import type { Logger } from '../platform/logger';

const LOOPBACK = /^(127\.|::1$|localhost$|\/)/;

/**
 * Logs how each connection is secured, secret-free, and in production warns about any TLS mode that does
 * not verify the server (disable, allow, prefer, require without a root CA) on a connection that leaves
 * the machine: its credentials and data could be read or redirected on the way.
 */
export async function reportConnections(
  config: AppConfig,
  urls: DatabaseUrls,
  logger: Logger,
): Promise<void> {
  for (const domain of DOMAINS) {
    for (const [use, url] of [
      ['pooled', urls[domain]],
      ['direct', directUrl(urls, domain)],
    ] as const) {
      if (use === 'direct' && url === urls[domain]) continue;
      const settings = await resolveConnection(url);
      const where = { database: domain, use, host: settings.host, port: settings.port };
      logger.info({ ...where, tls: describeTls(settings) }, 'database connection');
      if (config.env === 'production' && !verifiesServer(settings) && !LOOPBACK.test(settings.host))
        logger.warn(
          { ...where, tls: describeTls(settings) },
          `the ${domain} database connection (${use}) does not verify the server's certificate: use ` +
            'sslmode=verify-full with sslrootcert=<the provider CA file> (docs/DEPLOYMENT_CHECKLIST.md)',
        );
    }
  }
}
