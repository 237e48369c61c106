import type { Pool } from 'pg';
import type { JsonSchema } from '../domain/event-schema';
import { decodeCursor, encodeCursor, type Page } from './pagination';

export interface StoredEventType {
  name: string;
  description: string;
  group: string | null;
  schema: JsonSchema | null;
  deprecated: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type EventTypeChanges = Partial<Pick<StoredEventType, 'description' | 'group' | 'schema' | 'deprecated'>>;

interface EventTypeRow {
  name: string;
  description: string;
  grp: string | null;
  schema: JsonSchema | null;
  deprecated: boolean;
  created_at: Date;
  updated_at: Date;
}

const toEventType = (r: EventTypeRow): StoredEventType => ({
  name: r.name,
  description: r.description,
  group: r.grp,
  schema: r.schema,
  deprecated: r.deprecated,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const json = (schema: JsonSchema | null) => (schema === null ? null : JSON.stringify(schema));

export function createEventTypeRepository(pool: Pool) {
  return {
    /** The new entry, or undefined when the name is taken. */
    async create(input: Omit<StoredEventType, 'createdAt' | 'updatedAt'>): Promise<StoredEventType | undefined> {
      const { rows } = await pool.query<EventTypeRow>(
        `INSERT INTO event_types (name, description, grp, schema, deprecated) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO NOTHING RETURNING *`,
        [input.name, input.description, input.group, json(input.schema), input.deprecated],
      );
      return rows[0] && toEventType(rows[0]);
    },

    async get(name: string): Promise<StoredEventType | undefined> {
      const { rows } = await pool.query<EventTypeRow>('SELECT * FROM event_types WHERE name = $1', [name]);
      return rows[0] && toEventType(rows[0]);
    },

    /** Alphabetical by name; the cursor is the last name of the page. */
    async list(opts: { limit: number; cursor?: string; group?: string }): Promise<Page<StoredEventType>> {
      const { rows } = await pool.query<EventTypeRow>(
        `SELECT * FROM event_types WHERE ($1::text IS NULL OR name > $1) AND ($2::text IS NULL OR grp = $2)
         ORDER BY name LIMIT $3`,
        [decodeCursor(opts.cursor), opts.group ?? null, opts.limit + 1],
      );
      const data = rows.slice(0, opts.limit).map(toEventType);
      const last = data[data.length - 1];
      return { data, nextCursor: rows.length > opts.limit && last ? encodeCursor(last.name) : null };
    },

    async update(name: string, changes: EventTypeChanges): Promise<StoredEventType | undefined> {
      const { rows } = await pool.query<EventTypeRow>(
        `UPDATE event_types SET
           description = CASE WHEN $2 THEN $3 ELSE description END,
           grp         = CASE WHEN $4 THEN $5 ELSE grp END,
           schema      = CASE WHEN $6 THEN $7::jsonb ELSE schema END,
           deprecated  = CASE WHEN $8 THEN $9 ELSE deprecated END,
           updated_at  = now()
         WHERE name = $1 RETURNING *`,
        [
          name,
          changes.description !== undefined,
          changes.description ?? null,
          changes.group !== undefined,
          changes.group ?? null,
          changes.schema !== undefined,
          changes.schema === undefined ? null : json(changes.schema),
          changes.deprecated !== undefined,
          changes.deprecated ?? null,
        ],
      );
      return rows[0] && toEventType(rows[0]);
    },

    async delete(name: string): Promise<boolean> {
      const { rowCount } = await pool.query('DELETE FROM event_types WHERE name = $1', [name]);
      return (rowCount ?? 0) > 0;
    },
  };
}

export type EventTypeRepository = ReturnType<typeof createEventTypeRepository>;
