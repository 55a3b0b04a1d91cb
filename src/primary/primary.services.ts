import type { SessionCache } from './auth/session-cache';
import type { RevocationBus } from './auth/revocation-bus';

/** Process-wide primary services, built once at start and shared by every request. */
export interface PrimaryServices {
  sessionCache: SessionCache;
  revocations: RevocationBus;
  sessionTtlDays: number;
}
