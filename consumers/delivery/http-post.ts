import http from 'node:http';
import https from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { NamedError } from '../../model/errors.ts';
import { isPrivateAddress } from '../../model/private-addresses.ts';

/** How much of a response body is read before the rest is dropped. */
const RESPONSE_BODY_CAP_BYTES = 64 * 1024;

/** What {@link httpPost} sends and how long it may take. */
export interface HttpPostOptions {
  headers: Record<string, string>;
  body: Buffer | string;
  /** The whole exchange (lookup, connect, request, response) is abandoned after this. */
  timeoutMs: number;
  /** Whether private, loopback and link-local destinations may be reached. */
  allowPrivateAddresses: boolean;
}

/** The destination's answer: its status and how long the exchange took. */
export interface HttpPostResult {
  status: number;
  durationMs: number;
}

/** A destination that resolves only to private, loopback or link-local addresses. */
export class DestinationRefusedError extends NamedError {
  readonly address: string;

  constructor(host: string, address: string) {
    super(
      `${host} is a private, loopback or link-local address (${address}); deliveries to it are ` +
        'refused unless DELIVERY_ALLOW_PRIVATE_ADDRESSES=true',
    );
    this.address = address;
  }
}

/** The destination did not answer within the time allowed. */
export class RequestTimeoutError extends NamedError {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

// Sockets of our own, so a connection another client opened without the address check is never
// reused for a delivery.
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

/**
 * POSTs `body` to `url` once: redirects are not followed (a 3xx is just its status), the response
 * body is read and dropped, and every address the host resolves to that `isPrivateAddress` calls
 * private is refused with a {@link DestinationRefusedError} unless `allowPrivateAddresses`.
 * Rejects on network errors and on a {@link RequestTimeoutError}.
 */
export function httpPost(url: string, options: HttpPostOptions): Promise<HttpPostResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (error) {
      reject(error);
      return;
    }
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:') {
      reject(new TypeError(`${target.protocol} URLs are not delivered to`));
      return;
    }
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    // Node does not call `lookup` for an IP literal, so it is checked here.
    if (isIP(host) !== 0 && !options.allowPrivateAddresses && isPrivateAddress(host)) {
      reject(new DestinationRefusedError(host, host));
      return;
    }
    const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
    const request = (secure ? https : http).request(target, {
      method: 'POST',
      agent: secure ? httpsAgent : httpAgent,
      headers: { ...options.headers, 'content-length': String(body.length) },
      lookup: options.allowPrivateAddresses ? undefined : publicOnlyLookup,
    });
    const timer = setTimeout(
      () => request.destroy(new RequestTimeoutError(options.timeoutMs)),
      options.timeoutMs,
    );
    const finish = (error: Error | undefined, status?: number): void => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve({ status: status ?? 0, durationMs: Math.round(performance.now() - started) });
    };
    request.on('error', (error) => finish(error));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > RESPONSE_BODY_CAP_BYTES) {
          // The status is all we need; the rest of an oversized body is not worth waiting for.
          response.destroy();
          finish(undefined, status);
        }
      });
      response.on('end', () => finish(undefined, status));
      response.on('error', (error) => finish(error));
    });
    request.end(body);
  });
}

/** A `lookup` that keeps only public addresses and refuses a host that has no other. */
const publicOnlyLookup: LookupFunction = (hostname, lookupOptions, callback) => {
  dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    const allowed = addresses.filter(({ address }) => !isPrivateAddress(address));
    if (allowed.length === 0) {
      const refused = addresses[0]?.address ?? hostname;
      callback(new DestinationRefusedError(hostname, refused), '', 0);
      return;
    }
    if (lookupOptions.all) {
      (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
    } else {
      callback(null, allowed[0]!.address, allowed[0]!.family);
    }
  });
};
