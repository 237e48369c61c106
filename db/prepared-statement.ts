import type { QueryConfig } from 'pg';

/**
 * A statement of the delivery path that PostgreSQL parses and plans once per connection, then
 * reuses: planning those statements took more of PostgreSQL's time than running them (README
 * "Performance"). pg prepares it on a connection the first time that connection runs it.
 *
 * Its columns are named, never `*`: a prepared statement whose result columns change (a migration
 * adding a column to a table read with `*`) fails with "cached plan must not change result type",
 * which a process of the previous release would hit during a rolling upgrade.
 */
export function preparedStatement(name: string, text: string): (values: unknown[]) => QueryConfig {
  const star = /\b(?:SELECT(?:\s+(?:ALL|DISTINCT(?:\s+ON\s*\([^)]*\))?))?|RETURNING)\s+\*|[\w")]\s*\.\s*\*|,\s*\*/i.exec(text);
  if (star) throw new Error(`prepared statement ${name} reads "${star[0]}": name its columns`);
  return (values) => ({ name, text, values });
}

/** `alias.a, alias.b, ...`: every column of a row type, spelled out (the record makes the list complete). */
export function columnList(columns: Record<string, true>, alias: string): string {
  return Object.keys(columns)
    .map((column) => `${alias}.${column}`)
    .join(', ');
}
