import pino, { type Logger } from 'pino';

/** Anything that can carry a credential is removed before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  'password',
  'token',
  'variables.password',
  'variables.input.password',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'backoffice-gateway' },
    },
    destination,
  );
}

export type { Logger };
