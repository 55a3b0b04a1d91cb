import { Writable } from 'node:stream';
import { reportConnections } from '../../src/db/connection-report';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';

/** Nothing here connects: require and disable need no probe, so the report is read off the URLs alone. */
async function report(
  env: 'production' | 'development',
  urls: { primary: string; data: string; direct?: string },
) {
  const lines: Array<{ level: number; msg: string; tls?: string; use?: string }> = [];
  const logger = createLogger(
    'info',
    new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) }),
  );
  const config = loadConfig({
    NODE_ENV: env,
    PRIMARY_DATABASE_URL: urls.primary,
    DATA_DATABASE_URL: urls.data,
  });
  await reportConnections(
    config,
    {
      mode: 'split',
      primary: urls.primary,
      data: urls.data,
      direct: urls.direct ? { primary: urls.direct } : {},
    },
    logger,
  );
  return lines;
}

describe('the start-up report of how each database connection is secured', () => {
  it('in production, warns about a connection leaving the machine that does not verify the server', async () => {
    const lines = await report('production', {
      primary: 'postgresql://u:secret@pooler.example.com:25061/p?sslmode=require',
      data: 'postgresql://u:secret@127.0.0.1:5432/d?sslmode=disable',
      direct: 'postgresql://u:secret@db.example.com:25060/p?sslmode=require',
    });
    expect(lines.filter((l) => l.msg === 'database connection').map((l) => [l.use, l.tls])).toEqual([
      ['pooled', 'TLS without server verification'],
      ['direct', 'TLS without server verification'],
      ['pooled', 'no TLS'],
    ]);
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toEqual([
      expect.stringMatching(/primary database connection \(pooled\) does not verify .*verify-full/),
      expect.stringMatching(/primary database connection \(direct\) does not verify/),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('outside production, only reports', async () => {
    const lines = await report('development', {
      primary: 'postgresql://u@db.example.com/p?sslmode=require',
      data: 'postgresql://u@db.example.com/d?sslmode=require',
    });
    expect(lines.filter((l) => l.level === 40)).toEqual([]);
    expect(lines).toHaveLength(2);
  });
});
