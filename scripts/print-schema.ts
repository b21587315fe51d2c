import { writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schema } from '../schema/index.ts';

await writeFile(new URL('../schema.graphql', import.meta.url), `${printSchema(schema)}\n`);
process.stdout.write('wrote schema.graphql\n');
