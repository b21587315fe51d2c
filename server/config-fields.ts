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
