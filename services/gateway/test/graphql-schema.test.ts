// docs/graphql.graphql is the published contract: it must be exactly the schema the gateway serves.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { printedSchema, SCHEMA_FILE } from '../src/graphql/export-schema.ts';

t.test('docs/graphql.graphql is the served schema (run `npm run graphql:schema -w @bank/gateway` after changing it)', async (t) => {
  t.equal(readFileSync(SCHEMA_FILE, 'utf8'), printedSchema());
});
