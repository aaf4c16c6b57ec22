// Limits on what one GraphQL document may ask, checked before anything is executed:
// - size: the document's bytes (GRAPHQL_MAX_QUERY_BYTES) — refused before parsing;
// - depth: Mercurius's queryDepth (GRAPHQL_MAX_DEPTH) — GRAPHQL_TOO_DEEP;
// - complexity: graphql-query-complexity (GRAPHQL_MAX_COMPLEXITY): every field costs 1 and a list
//   taking `first` costs `first` × its selection, so `payments(first: 100) { items { schedule {…} } }`
//   and alias bombs (`a1: me {…} a2: me {…} …`, each alias is counted) are refused as
//   GRAPHQL_TOO_COMPLEX with the cost and the limit.
import type { ValidationRule } from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { graphql, queryComplexity } from './graphql-js.ts';
import { GraphqlErrors } from './errors.ts';

const { GraphQLError, NoSchemaIntrospectionCustomRule } = graphql;
const { createComplexityRule, simpleEstimator } = queryComplexity;

export interface GraphqlLimits {
  maxQueryBytes: number;
  maxDepth: number;
  maxComplexity: number;
}

const pageEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args.first === 'number' ? 1 + Math.max(0, args.first) * childComplexity : undefined;

/** Validation rules for one request (the complexity of `first: $n` depends on its variables). */
export function validationRules(limits: GraphqlLimits, introspection: boolean) {
  return ({ variables, operationName }: { variables?: Record<string, unknown>; operationName?: string }): ValidationRule[] => [
    ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    createComplexityRule({
      maximumComplexity: limits.maxComplexity,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
      createError: (max, actual) =>
        new GraphQLError(`The query costs ${actual}; at most ${max} is allowed (ask for fewer items or fields)`, {
          extensions: { code: GraphqlErrors.tooComplex.code, status: GraphqlErrors.tooComplex.statusCode, complexity: actual, maximumComplexity: max },
        }),
    }),
  ];
}

/** Refuses a document over the size limit before it is parsed. */
export function checkQuerySize(query: unknown, maxBytes: number): void {
  if (typeof query === 'string' && Buffer.byteLength(query) > maxBytes) {
    throw GraphqlErrors.tooLarge(`The query document is over ${maxBytes} bytes`);
  }
}
