import { isIP } from 'node:net';
import { CHANNEL_LIMITS } from '../model/channels.ts';
import { ValidationError } from '../model/errors.ts';
import { isPrivateAddress } from '../model/private-addresses.ts';

/** What a destination URL may be; `allowPrivate` comes from ChannelSettings. */
export interface UrlRules {
  /** The schemes allowed, e.g. `['https:']`. */
  protocols: readonly string[];
  allowPrivate: boolean;
}

const ALLOW_HINT =
  'set DELIVERY_ALLOW_PRIVATE_ADDRESSES=true on the server to allow such destinations (tests and development only)';

/**
 * The host as an address the private check understands: without IPv6 brackets, and an
 * IPv4-mapped IPv6 address in the hex form the URL parser prints (`::ffff:7f00:1`) turned back
 * into the dotted IPv4 it carries.
 */
function hostAddress(hostname: string): string {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(host);
  if (!mapped) return host;
  const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether the URL's host is an address or name that always means this machine or its network. */
function isPrivateHost(hostname: string): boolean {
  const host = hostAddress(hostname).toLowerCase().replace(/\.$/, '');
  if (isIP(host) !== 0) return isPrivateAddress(host);
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Checks a destination URL (a webhook's, a push endpoint) and returns it normalised: a scheme of
 * `rules.protocols`, no credentials, no fragment, at most CHANNEL_LIMITS.urlLength characters,
 * and unless allowed, no host that is a private, loopback or link-local IP literal or
 * `localhost`. Host names are resolved and checked again when a delivery is sent.
 */
export function destinationUrl(raw: string, field: string, rules: UrlRules): string {
  const fail = (why: string) => new ValidationError(field, `${field} ${why}`);
  const text = raw.trim();
  if (text.length > CHANNEL_LIMITS.urlLength) {
    throw fail(`must be at most ${CHANNEL_LIMITS.urlLength} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fail(`is not an absolute URL; give one such as https://example.com/hooks/todo`);
  }
  if (!rules.protocols.includes(url.protocol)) {
    throw fail(
      `must use ${rules.protocols.map((p) => p.replace(':', '')).join(' or ')}, not ${url.protocol.replace(':', '')}`,
    );
  }
  if (url.username || url.password) {
    throw fail('must not contain credentials (user:password@); remove them');
  }
  if (text.includes('#')) throw fail('must not contain a fragment (#...); remove it');
  if (!rules.allowPrivate && isPrivateHost(url.hostname)) {
    throw fail(
      `points at ${url.hostname}, a private, loopback or link-local address this server does not send to; ` +
        `use a public address, or ${ALLOW_HINT}`,
    );
  }
  if (url.href.length > CHANNEL_LIMITS.urlLength) {
    throw fail(`must be at most ${CHANNEL_LIMITS.urlLength} characters once normalised`);
  }
  return url.href;
}
