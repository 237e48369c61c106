/** Cursor pagination over sortable keys: the cursor is the last key of the page, opaque to clients. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** A cursor Herald did not hand out (or one for another listing): the client's fault, a 422. */
export class InvalidCursorError extends Error {
  constructor() {
    super('is not a cursor from this listing: pass next_cursor back unchanged');
  }
}

// Keys are ids and event type names: printable ASCII, never empty, never long.
const CURSOR_KEY = /^[\x21-\x7e]{1,256}$/;

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

/** The key a cursor stands for; throws InvalidCursorError for anything encodeCursor did not make. */
export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!CURSOR_KEY.test(key) || encodeCursor(key) !== cursor) throw new InvalidCursorError();
  return key;
}

/** Rows were fetched with limit + 1: the extra row only says whether another page exists. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
