// The edge API's routes as the gateway publishes them (/api/openapi.json, merged from every
// service's TypeBox route schemas): method, path, which service owns it, its path/query/header
// parameters and JSON body schema, and whether it needs a token. The hostile-input suite
// derives every generated request from this list, so a new route is covered without edits.

/** A JSON Schema as @fastify/swagger emits it from TypeBox (only the keywords we generate from). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  maxProperties?: number;
  minProperties?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** Edge path template, e.g. /api/payments/{id}. */
  path: string;
  service: string;
  parameters: Parameter[];
  body?: JsonSchema;
  secured: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; security?: unknown[] }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

function resolveRefs(schema: unknown, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 20 || schema === null || typeof schema !== 'object') return schema as JsonSchema;
  if (Array.isArray(schema)) return schema.map((s) => resolveRefs(s, components, depth + 1)) as unknown as JsonSchema;
  const ref = (schema as JsonSchema).$ref;
  if (ref) return resolveRefs(components[ref.replace('#/components/schemas/', '')] ?? {}, components, depth + 1);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolveRefs(v, components, depth + 1)])) as JsonSchema;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const components = doc.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const body = op.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        service: path.split('/')[2] ?? '',
        // A query parameter with a default is listed as required by @fastify/swagger; it is not.
        parameters: (op.parameters ?? []).map((p) => ({ ...p, required: p.required && p.schema.default === undefined, schema: resolveRefs(p.schema, components) })),
        ...(body ? { body: resolveRefs(body, components) } : {}),
        secured: Array.isArray(op.security) && op.security.length > 0,
      });
    }
  }
  return operations;
}
