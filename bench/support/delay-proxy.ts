import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  /** The database URL with its host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string;
  /**
   * Round trips so far: every time a client, after the server last answered it (or first), sends again.
   * A pipelined statement (parse, bind, execute, sync in one write) is one; so is a BEGIN or a COMMIT.
   */
  roundTrips(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a database that holds every chunk `delayMs` before passing it on, each way:
 * a server `2 × delayMs` further away, as a managed database in another zone is. Order is kept (timers of
 * one duration fire in the order they were set); bandwidth is not limited.
 */
export async function startDelayProxy(target: { host: string; port: number }, delayMs: number) {
  let trips = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    // The client's turn: true while the server has not answered since the client last wrote.
    let waiting = false;
    const later = (fn: () => void) => setTimeout(fn, delayMs);
    client.on('data', (chunk) => {
      if (!waiting) trips += 1;
      waiting = true;
      later(() => upstream.write(chunk));
    });
    upstream.on('data', (chunk) => {
      waiting = false;
      later(() => client.write(chunk));
    });
    client.on('end', () => later(() => upstream.end()));
    upstream.on('end', () => later(() => client.end()));
    const drop = () => (
      client.destroy(),
      upstream.destroy(),
      sockets.delete(client),
      sockets.delete(upstream)
    );
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlFor(databaseUrl: string) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    roundTrips: () => trips,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } satisfies DelayProxy;
}
