import { readFileSync } from 'node:fs';
import { z } from 'zod';

// The parsers of the environment variables whose values have a shape of their own (config.ts).

/** Text, trimmed; unset or blank is undefined. */
export const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const isOrigin = (value: string) => {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
};

/** Origins (scheme, host and port; no path, no `*`) whose pages may read the API's answers. */
export const originList = optionalText.transform((value, ctx) => {
  if (value === undefined) return [];
  const origins = value.split(',').map((origin) => origin.trim());
  if (origins.every(isOrigin)) return origins;
  ctx.issues.push({
    code: 'custom',
    input: value,
    message:
      'must list origins such as https://app.example.com,http://localhost:5173 (no path, no *)',
  });
  return z.NEVER;
});

/** Field coordinates whose resolvers are timed: `Task.tags`, `Query.*`, or `*` for every field. */
export const resolverList = z
  .string()
  .optional()
  .transform((value) => value?.split(',').map((field) => field.trim()) ?? [])
  .refine(
    (fields) => fields.every((field) => /^(\*|[_A-Za-z]\w*\.(\*|[_A-Za-z]\w*))$/.test(field)),
    'must list fields such as Query.tasks,Task.* (or * for every field)',
  );

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** A path to a PEM file, or the PEM text itself (with real or `\n`-escaped newlines). */
export const pemCertificates = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  let pem = value.replaceAll('\\n', '\n');
  if (!value.includes('-----BEGIN')) {
    try {
      pem = readFileSync(value, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message);
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `cannot be read from ${value} (${why}); give the path of a PEM file or the PEM text`,
      });
      return z.NEVER;
    }
  }
  if (!pem.includes(PEM_CERTIFICATE)) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `must be PEM certificate(s) starting with ${PEM_CERTIFICATE}, or the path of a file holding them`,
    });
    return z.NEVER;
  }
  return `${pem.trim()}\n`;
});

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Durations such as `5s,5m,30m,2h`: the waits before each retry; unset is undefined. */
export const durationList = optionalText.transform((value, ctx) => {
  if (value === undefined) return undefined;
  const waits = value.split(',').map((part) => DURATION.exec(part.trim()));
  if (waits.length <= 20 && waits.every((match) => match !== null)) {
    return waits.map(([, amount, unit]) => Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS]);
  }
  ctx.issues.push({
    code: 'custom',
    input: value,
    message: 'must list up to 20 durations such as 5s,5m,30m,2h,5h,10h (units ms, s, m, h, d)',
  });
  return z.NEVER;
});

/** A base64url key of `bytes` bytes (a VAPID key); unset or blank is undefined. */
export const base64UrlKey = (bytes: number) =>
  optionalText.refine(
    (value) =>
      value === undefined ||
      (/^[A-Za-z0-9_-]+$/.test(value) && Buffer.from(value, 'base64url').length === bytes),
    `must be ${bytes} bytes in base64url (npx web-push generate-vapid-keys makes a pair)`,
  );
