// Keyset (cursor) pagination shared by every list endpoint: the cursor is an opaque
// base64url token of the last row's sort key, so pages stay stable while rows are inserted.
// The client can forge it, so decoding checks what it holds: a timestamp and a UUID.
import { Type, type Static } from 'typebox';
import { AppError } from './errors.ts';
import { isTimestamp } from './input.ts';

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
};

export const pageOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export interface CursorKey {
  /** ISO timestamp of the last row's sort column. */
  at: string;
  /** The last row's UUID (tie-breaker). */
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const CursorSchema = Type.Object({ at: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) });
export type Cursor = Static<typeof CursorSchema>;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && isTimestamp(at) && UUID.test(id)) return { at, id };
  } catch {
    // fall through
  }
  throw new AppError('INVALID_CURSOR', 400, 'Invalid cursor', 'The cursor is malformed; start from the first page');
}

/** Given limit+1 rows, return the page and the cursor of its last row when more exist. */
export function toPage<R>(rows: R[], limit: number, keyOf: (row: R) => CursorKey) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
