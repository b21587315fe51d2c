import { readFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schema } from './index.ts';

it('schema.graphql is the printed schema (run `npm run schema:print` after changing the API)', async () => {
  const committed = await readFile(new URL('../schema.graphql', import.meta.url), 'utf8');
  expect(committed).toBe(`${printSchema(schema)}\n`);
});
