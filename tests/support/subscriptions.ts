import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;
import WebSocket from 'ws';

export interface SocketOptions {
  /** The connection_init payload. */
  params?: Record<string, unknown>;
  /** Headers of the upgrade request (Cookie, Origin). */
  headers?: Record<string, string>;
  keepAlive?: number;
}

export interface TestSocket {
  client: Client;
  /** Resolves once acknowledged; rejects with the close event if the server closes first. */
  connected: Promise<void>;
  /** Resolves with the close code and reason whenever the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** `extra` goes into the subscribe payload beside query and variables (a `documentId`, extensions). */
  subscribe<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): Feed<T>;
  dispose(): Promise<void>;
}

export interface Feed<T> {
  events: Array<ExecutionResult<T>>;
  /** Resolves when the server completes the subscription; rejects on an error message. */
  done: Promise<void>;
  /** Resolves with the first event that passes `test` (seen already or still to come). */
  until(test: (event: ExecutionResult<T>) => boolean, timeoutMs?: number): Promise<ExecutionResult<T>>;
  stop(): void;
}

/** The WebSocket URL of a gateway's /graphql. */
export const wsUrl = (httpUrl: string): string => httpUrl.replace(/^http/, 'ws');

/** A graphql-ws client (graphql-transport-ws) on `ws`, connected at once, never retrying: a client as apps use it. */
export function openSocket(httpUrl: string, options: SocketOptions = {}): TestSocket {
  let closedResolve: (v: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((r) => (closedResolve = r));
  let connectedResolve: () => void = () => undefined;
  let connectedReject: (e: unknown) => void = () => undefined;
  const connected = new Promise<void>((resolve, reject) => {
    connectedResolve = resolve;
    connectedReject = reject;
  });
  connected.catch(() => undefined);
  const headers = options.headers ?? {};
  class WithHeaders extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  const client = createClient({
    url: wsUrl(httpUrl),
    webSocketImpl: WithHeaders,
    connectionParams: options.params,
    lazy: false,
    retryAttempts: 0,
    keepAlive: options.keepAlive ?? 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => connectedResolve(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        connectedReject(new Error(`closed ${code} ${reason}`));
        closedResolve({ code, reason: String(reason) });
      },
    },
  });
  return {
    client,
    connected,
    closed,
    subscribe<T>(query: string, variables?: Record<string, unknown>, extra = {}): Feed<T> {
      const events: Array<ExecutionResult<T>> = [];
      const watchers = new Set<() => void>();
      let finish: () => void = () => undefined;
      let fail: (e: unknown) => void = () => undefined;
      const done = new Promise<void>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      done.catch(() => undefined);
      const stop = client.subscribe<T>(
        { query, variables, ...extra },
        {
          next: (value) => {
            events.push(value);
            watchers.forEach((w) => w());
          },
          error: (err) => fail(err),
          complete: () => finish(),
        },
      );
      const until = (test: (e: ExecutionResult<T>) => boolean, timeoutMs = 15_000) =>
        new Promise<ExecutionResult<T>>((resolve, reject) => {
          const look = () => {
            const found = events.find(test);
            if (!found) return false;
            watchers.delete(look);
            clearTimeout(timer);
            resolve(found);
            return true;
          };
          const timer = setTimeout(() => {
            watchers.delete(look);
            reject(new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events)}`));
          }, timeoutMs);
          if (!look()) watchers.add(look);
        });
      return { events, done, until, stop };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Resolves with the value, or rejects after `ms` (what the server promised did not happen in time). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}

export const IMPORT_STATE = `id status rowsTotal rowsProcessed rowsImported rowsRejected finishedAt errorSummary
  errors(first: 10) { totalCount edges { node { rowNumber column message } } }`;
