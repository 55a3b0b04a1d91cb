import net from 'node:net';
import type { TestApp } from './test-app';

export const BOUNDARY = 'raw-http-boundary';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The parts of a GraphQL multipart request before and after the file's bytes. */
export function multipart(fileName: string): { head: string; tail: string } {
  const operations = JSON.stringify({
    query: 'mutation($file: Upload!) { importCarriers(file: $file) { id } }',
    variables: { file: null },
  });
  const part = (name: string, body: string) =>
    `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${body}\r\n`;
  return {
    head:
      part('operations', operations) +
      part('map', JSON.stringify({ 0: ['variables.file'] })) +
      `--${BOUNDARY}\r\ncontent-disposition: form-data; name="0"; filename="${fileName}"\r\n` +
      'content-type: text/csv\r\n\r\n',
    tail: `\r\n--${BOUNDARY}--\r\n`,
  };
}

/** A raw connection, so the test decides when (and whether) each byte of the body is sent. */
export function connect(
  t: TestApp,
): Promise<{ socket: net.Socket; received: () => string; closed: Promise<void> }> {
  const { port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      resolve({ socket, received: () => text, closed });
    });
    socket.once('error', reject);
  });
}

/** The head of a POST /graphql with a body of `length` bytes, signed in with `token`. */
export const requestHead = (contentType: string, length: number, token: string) =>
  `POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: ${contentType}\r\ncontent-length: ${length}\r\n` +
  `authorization: Bearer ${token}\r\napollo-require-preflight: true\r\n\r\n`;

export const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
