import type { Logger } from '../../platform/logger';
import type { RequestCredentials } from '../../primary/auth/authenticate';
import type { Revocation } from '../../primary/auth/revocation-bus';
import type { Viewer } from '../../shared/permissions/viewer';

/** graphql-ws's convention: 4401 Unauthorized, 4403 Forbidden; 4429 and 4503 follow HTTP's numbers alike. */
export const CloseCode = {
  Unauthorized: 4401,
  Forbidden: 4403,
  TooManySockets: 4429,
  Unavailable: 4503,
} as const;

/** One authenticated subscription socket: what it was opened with and who it runs as now. */
export interface SocketSession {
  credentials: RequestCredentials;
  viewer: Viewer;
  close(code: number, reason: string): void;
}

/** The session behind the credentials now: a viewer, 'refused' (closes the socket), or 'unknown' (database down). */
export type Revalidate = (credentials: RequestCredentials) => Promise<Viewer | 'refused' | 'unknown'>;

/** How often sockets whose session has passed its expiry are checked again (sliding sessions may live on). */
const EXPIRY_SWEEP_MS = 60_000;

/**
 * The open subscription sockets by user, so that a revocation reaches them as it reaches the session cache:
 * a revoked session's sockets close (4401) at once; for a user-wide or global revocation (deactivation,
 * password change, new role permissions, a listener reconnect) each affected socket's session is checked
 * again and closed when refused, or keeps serving with its new permissions.
 */
export class SocketRegistry {
  private readonly byUser = new Map<string, Set<SocketSession>>();
  private readonly sweep: NodeJS.Timeout;
  /** Bumped by every revocation: a socket authenticated across one is checked again once registered. */
  generation = 0;

  constructor(
    private readonly revalidate: Revalidate,
    private readonly logger: Logger,
  ) {
    this.sweep = setInterval(() => this.checkExpired(), EXPIRY_SWEEP_MS);
    this.sweep.unref();
  }

  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  get size(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  add(session: SocketSession): void {
    const set = this.byUser.get(session.viewer.userId) ?? new Set();
    set.add(session);
    this.byUser.set(session.viewer.userId, set);
  }

  remove(session: SocketSession): void {
    const set = this.byUser.get(session.viewer.userId);
    set?.delete(session);
    if (set?.size === 0) this.byUser.delete(session.viewer.userId);
  }

  revoked(event: Revocation): void {
    this.generation += 1;
    if (event.kind === 'sessions') {
      const ids = new Set(event.ids);
      for (const s of this.all()) if (ids.has(s.viewer.sessionId)) this.refuse(s);
    } else if (event.kind === 'user') {
      for (const s of [...(this.byUser.get(event.userId) ?? [])]) void this.check(s);
    } else {
      for (const s of this.all()) void this.check(s);
    }
  }

  stop(): void {
    clearInterval(this.sweep);
  }

  private all(): SocketSession[] {
    return [...this.byUser.values()].flatMap((set) => [...set]);
  }

  private checkExpired(): void {
    const now = Date.now();
    for (const s of this.all()) if (s.viewer.expiresAt <= now) void this.check(s);
  }

  private refuse(session: SocketSession): void {
    this.remove(session);
    session.close(CloseCode.Unauthorized, 'Unauthorized: the session has ended');
  }

  /** Checks the session again now; closes the socket (4401) when it is refused. */
  async check(session: SocketSession): Promise<void> {
    const outcome = await this.revalidate(session.credentials).catch((err: unknown) => {
      this.logger.warn({ err }, 'could not check a subscription socket session');
      return 'unknown' as const;
    });
    if (outcome === 'refused') return this.refuse(session);
    // Unknown (the primary database is down): kept, as the cache keeps serving what it holds.
    if (outcome === 'unknown' || outcome.userId !== session.viewer.userId) return;
    session.viewer = outcome;
  }
}
