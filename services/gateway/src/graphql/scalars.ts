// MinorUnits: money as integer minor units, like the REST API's JSON integers. GraphQL's Int is
// 32-bit and amounts go to 10^12, so a scalar of its own (safe integers only, never a float).
import { graphql } from './graphql-js.ts';

const { GraphQLError, GraphQLScalarType, Kind } = graphql;

const invalid = (detail: string) => new GraphQLError(`MinorUnits ${detail}`, { extensions: { code: 'PAYMENTS_INVALID_AMOUNT', status: 400 } });

function asMinorUnits(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid('must be an integer of minor units, not a string, float or boolean');
  return value;
}

export const MinorUnits = new GraphQLScalarType<number, number>({
  name: 'MinorUnits',
  serialize: asMinorUnits,
  parseValue: asMinorUnits,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw invalid('must be an integer literal');
    return asMinorUnits(Number(ast.value));
  },
});
