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
