// Limits on what one GraphQL document may ask, checked before anything is executed:
// - size: the document's bytes (GRAPHQL_MAX_QUERY_BYTES) — refused before parsing;
// - depth: Mercurius's queryDepth (GRAPHQL_MAX_DEPTH) — GRAPHQL_TOO_DEEP;
// - complexity: graphql-query-complexity (GRAPHQL_MAX_COMPLEXITY): every field costs 1 and a list
//   taking `first` costs `first` × its selection, so `payments(first: 100) { items { schedule {…} } }`
//   and alias bombs (`a1: me {…} a2: me {…} …`, each alias is counted) are refused as
//   GRAPHQL_TOO_COMPLEX with the cost and the limit. A root field costs UPSTREAM_CALL_COST more:
//   each is a REST call, so a document of 178 aliased `payments` is refused instead of fanning
//   out into 178 upstream requests.
import type { DocumentNode, SelectionSetNode, ValidationRule } from 'graphql';
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

/** What one REST-backed (root) field costs on top of its selection. */
export const UPSTREAM_CALL_COST = 50;
const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

const restEstimator: ComplexityEstimator = ({ type, args, childComplexity }) => {
  const own = ROOT_TYPES.has(type.name) ? UPSTREAM_CALL_COST : 1;
  const times = typeof args.first === 'number' ? Math.max(0, args.first) : 1;
  return own + times * childComplexity;
};

/**
 * graphql-query-complexity walks fragment spreads recursively when the operation is left, before
 * graphql-js's NoFragmentCyclesRule has refused a cycle: a cyclic or runaway document overflows
 * the stack. That becomes a validation error instead of a 500.
 */
function guarded(rule: ValidationRule): ValidationRule {
  return (context) => {
    // A cycle is refused by graphql-js's own NoFragmentCyclesRule; costing it would never end.
    if (hasFragmentCycle(context.getDocument())) return {};
    const visitor = rule(context) as { OperationDefinition?: { leave?: (...args: unknown[]) => unknown } };
    const operation = visitor.OperationDefinition;
    const leave = operation?.leave;
    if (operation && leave) {
      // graphql-js calls it with the rule's visitor as `this`.
      operation.leave = function (this: unknown, ...args: unknown[]) {
        try {
          return leave.apply(this, args);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          context.reportError(new GraphQLError('The query cannot be costed: its fragments are cyclic or nested too deeply', { extensions: { code: GraphqlErrors.validation.code, status: 400 } }));
          return undefined;
        }
      };
    }
    return visitor as ReturnType<ValidationRule>;
  };
}

/** Whether the document's fragments spread each other in a cycle (iterative DFS: no recursion on the spread graph). */
export function hasFragmentCycle(document: DocumentNode): boolean {
  const spreads = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== graphql.Kind.FRAGMENT_DEFINITION) continue;
    const names: string[] = [];
    const stack: SelectionSetNode[] = [definition.selectionSet];
    while (stack.length > 0) {
      for (const selection of stack.pop()!.selections) {
        if (selection.kind === graphql.Kind.FRAGMENT_SPREAD) names.push(selection.name.value);
        else if (selection.selectionSet) stack.push(selection.selectionSet);
      }
    }
    spreads.set(definition.name.value, names);
  }
  const state = new Map<string, 'open' | 'done'>();
  for (const start of spreads.keys()) {
    if (state.has(start)) continue;
    const path: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    state.set(start, 'open');
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const children = spreads.get(top.name) ?? [];
      if (top.next >= children.length) {
        state.set(top.name, 'done');
        path.pop();
        continue;
      }
      const child = children[top.next++]!;
      if (state.get(child) === 'open') return true;
      if (!state.has(child) && spreads.has(child)) {
        state.set(child, 'open');
        path.push({ name: child, next: 0 });
      }
    }
  }
  return false;
}

/** Validation rules for one request (the complexity of `first: $n` depends on its variables). */
export function validationRules(limits: GraphqlLimits, introspection: boolean) {
  return ({ variables, operationName }: { variables?: Record<string, unknown>; operationName?: string }): ValidationRule[] => [
    ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    guarded(createComplexityRule({
      maximumComplexity: limits.maxComplexity,
      variables: variables ?? {},
      ...(operationName ? { operationName } : {}),
      estimators: [restEstimator, simpleEstimator({ defaultComplexity: 1 })],
      createError: (max, actual) =>
        new GraphQLError(`The query costs ${actual}; at most ${max} is allowed (ask for fewer items or fields)`, {
          extensions: { code: GraphqlErrors.tooComplex.code, status: GraphqlErrors.tooComplex.statusCode, complexity: actual, maximumComplexity: max },
        }),
    })),
  ];
}

/**
 * Refuses, before parsing: a document over the size limit, and a "document" that is JSON —
 * Mercurius takes a source that is not GraphQL but parses as JSON for a pre-parsed AST, and a
 * forged AST (`null`, `[]`, `{}`) crashes validation.
 */
export function checkQuerySource(query: unknown, maxBytes: number): void {
  if (typeof query !== 'string') return;
  if (Buffer.byteLength(query) > maxBytes) throw GraphqlErrors.tooLarge(`The query document is over ${maxBytes} bytes`);
  let json = true;
  try {
    JSON.parse(query);
  } catch {
    json = false;
  }
  if (json) throw GraphqlErrors.validation('The query is not a GraphQL document');
}
