// Schemas every service's routes share: the problem body (registered once as `Problem` by the
// kit's error plugin) and a helper to declare a route's error responses for OpenAPI.
import { Type } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code, e.g. PAYMENTS_NOT_FOUND' }),
    detail: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true },
);

const problemRef = Type.Ref('Problem');

/** `response: { 200: Thing, ...errorsFor(400, 401, 404) }` */
export const errorsFor = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, problemRef]));
