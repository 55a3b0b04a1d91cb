import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { CsvBatchParser } from './csv-batches';

/**
 * One upload on its way into the parser: hashed and counted as it passes, with what went wrong on the
 * client's side (it went away, or the file outgrew the limit) recorded so a failure can be told apart
 * from a bad file or a database error.
 */
export class UploadSource {
  readonly parser = new CsvBatchParser();
  bytes = 0;
  /** The client went away mid-upload (or the upload was closed before its end). */
  readFailed = false;
  /** busboy signalled an upload over its maxFileSize. */
  tooLarge = false;
  private readonly hash = createHash('sha256');

  constructor(private readonly input: Readable) {
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        done(null, chunk);
      },
    });
    input.on('error', (err) => {
      this.readFailed = true;
      this.parser.destroy(err);
    });
    // busboy signals an upload over maxFileSize with 'limit' and does not reliably end the stream after it.
    input.once('limit', () => {
      this.tooLarge = true;
      this.parser.destroy(new Error('upload size limit reached'));
    });
    // Parse errors reach the reader through the async iterator; this keeps a late one from crashing the process.
    this.parser.on('error', () => undefined);
    input.pipe(tap).pipe(this.parser);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  /** Reads the upload to its end, whatever happened, so the HTTP request completes. */
  drain(): void {
    if (!this.input.readableEnded) {
      this.input.unpipe();
      this.input.resume();
    }
  }
}
