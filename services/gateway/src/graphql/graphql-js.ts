// graphql-js ships a CommonJS and an ES module build, and refuses values from the other one
// ("Cannot use GraphQLInputObjectType from another module or realm"). Mercurius is CommonJS, so
// everything here loads graphql — and graphql-query-complexity, which imports it — through
// require, i.e. the same instance as Mercurius.
import { createRequire } from 'node:module';
import type * as GraphqlJs from 'graphql';
import type * as QueryComplexity from 'graphql-query-complexity';

const require = createRequire(import.meta.url);

export const graphql = require('graphql') as typeof GraphqlJs;
export const queryComplexity = require('graphql-query-complexity') as typeof QueryComplexity;
