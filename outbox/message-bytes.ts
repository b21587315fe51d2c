import type { OutgoingMessage } from '../messaging/transport.ts';

/**
 * What a record costs on the wire besides its key, value and headers: Kafka's record format v2
 * spends at most 36 bytes on lengths, attributes and deltas, 10 more per header.
 */
const RECORD_OVERHEAD_BYTES = 64;
const HEADER_OVERHEAD_BYTES = 16;
/** The produce request and record batch framing around the records (61 bytes per batch). */
export const REQUEST_OVERHEAD_BYTES = 1_024;

/** The bytes `message` takes in a produce request: UTF-8 key, value and headers, with margin. */
export function messageBytes(message: OutgoingMessage): number {
  let bytes =
    RECORD_OVERHEAD_BYTES +
    Buffer.byteLength(message.key, 'utf8') +
    Buffer.byteLength(message.value, 'utf8');
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes +=
      HEADER_OVERHEAD_BYTES + Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  return bytes;
}

/**
 * Splits `items` in order into runs whose `bytesOf` add up, with the request framing, to at most
 * `maxBytes`. An item over the bound on its own gets a run of its own.
 */
export function splitByBytes<T>(items: T[], bytesOf: (item: T) => number, maxBytes: number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  let runBytes = REQUEST_OVERHEAD_BYTES;
  for (const item of items) {
    const bytes = bytesOf(item);
    if (run.length > 0 && runBytes + bytes > maxBytes) {
      runs.push(run);
      run = [];
      runBytes = REQUEST_OVERHEAD_BYTES;
    }
    run.push(item);
    runBytes += bytes;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
