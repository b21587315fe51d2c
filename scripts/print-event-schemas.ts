import { mkdir, writeFile } from 'node:fs/promises';
import { eventJsonSchemas } from '../model/events/json-schemas.ts';

const folder = new URL('../model/events/json-schema/', import.meta.url);
await mkdir(folder, { recursive: true });
for (const [type, schema] of Object.entries(eventJsonSchemas())) {
  await writeFile(new URL(`${type}.json`, folder), `${JSON.stringify(schema, null, 2)}\n`);
}
process.stdout.write('wrote model/events/json-schema/\n');
