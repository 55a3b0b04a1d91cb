import type { Request, Response } from 'express';
import { serialize } from 'cookie';
import type { HttpExchange } from '../shared/permissions/viewer';

/** Cookie writes and the client address, as resolvers need them, without handing them Express. */
export function httpExchange(req: Request, res: Response, secureCookies: boolean): HttpExchange {
  const base = { httpOnly: true, sameSite: 'lax' as const, secure: secureCookies, path: '/' };
  return {
    clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    setCookie(name, value, { maxAgeSeconds }) {
      res.append('Set-Cookie', serialize(name, value, { ...base, maxAge: maxAgeSeconds }));
    },
    clearCookie(name) {
      res.append('Set-Cookie', serialize(name, '', { ...base, maxAge: 0 }));
    },
  };
}
