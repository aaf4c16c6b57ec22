// Prints the schema the gateway serves, as docs/graphql.graphql holds it:
//   npm run graphql:schema -w @bank/gateway     (writes docs/graphql.graphql)
// test/graphql-schema.test.ts fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { graphql } from './graphql-js.ts';
import { typeDefs } from './schema.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../../../../docs/graphql.graphql', import.meta.url));

export function printedSchema(): string {
  return `# Generated from services/gateway/src/graphql/schema.ts by \`npm run graphql:schema -w @bank/gateway\`; do not edit.\n${graphql.printSchema(graphql.buildSchema(typeDefs))}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, printedSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
