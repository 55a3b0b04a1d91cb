/** Who is calling: the authenticated principal a request carries, as both domains see it. */
export interface Viewer {
  userId: string;
  sessionId: string;
  email: string;
  name: string;
  roles: string[];
  permissions: ReadonlySet<string>;
  /** Session expiry, epoch milliseconds. */
  expiresAt: number;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

/** The slice of the HTTP exchange resolvers may touch (cookies for login/logout, the client address). */
export interface HttpExchange {
  clientIp: string;
  setCookie(name: string, value: string, options: { maxAgeSeconds: number }): void;
  clearCookie(name: string): void;
}

/**
 * Who is calling, or why that could not be established: the credential sent names no live session, or the
 * primary database was unreachable. Both null: anonymous (no credential at all).
 */
export interface CallerContext {
  viewer: Viewer | null;
  /** Set when a credential was refused or could not be checked: protected fields fail with it instead of running anonymous. */
  authError: Error | null;
}
