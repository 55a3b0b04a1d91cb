import type { Logger } from '../logger';
import type { DomainName } from '../domains';

const QUIET_MS = 30_000;
const lastLogged = new Map<string, { at: number; suppressed: number }>();

/**
 * Logs a database failure with the server's own words (an authentication refusal, a TLS error, "too many
 * clients"), once per distinct failure every 30 s: a database that is down fails every request, and a line
 * per request would bury the one that says why. Clients get DATABASE_UNAVAILABLE and none of this text.
 */
export function logDatabaseFailure(logger: Logger, domain: DomainName | null, err: unknown): void {
  const e = err as { code?: unknown; message?: unknown } | null;
  const detail = typeof e?.message === 'string' ? e.message : String(err);
  const key = `${domain ?? '?'}:${String(e?.code ?? '')}:${detail}`;
  const now = Date.now();
  const seen = lastLogged.get(key);
  if (seen && now - seen.at < QUIET_MS) {
    seen.suppressed += 1;
    return;
  }
  lastLogged.set(key, { at: now, suppressed: 0 });
  if (lastLogged.size > 1000) lastLogged.delete(lastLogged.keys().next().value!);
  logger.warn(
    { database: domain, code: e?.code, detail, repeatedSinceLast: seen?.suppressed ?? 0, err },
    'database unavailable',
  );
}
