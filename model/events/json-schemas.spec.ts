import { readFile } from 'node:fs/promises';
import { EVENT_TYPES } from './contracts.ts';
import { eventJsonSchemas } from './json-schemas.ts';

it('model/events/json-schema/ holds the current schemas (run `npm run events:schemas`)', async () => {
  const schemas = eventJsonSchemas();
  for (const type of EVENT_TYPES) {
    const file = await readFile(new URL(`./json-schema/${type}.json`, import.meta.url), 'utf8');
    expect(JSON.parse(file)).toEqual(schemas[type]);
  }
});
