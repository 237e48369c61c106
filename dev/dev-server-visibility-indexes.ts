// The dev server's SQLite visibility table (Temporal's schema) carries 45 indexes, one per column
// anyone might list by, and every workflow's start and close record updates all of them: the
// largest single cost of a delivery in the dev server (README "Performance"). This drops the ones
// no list of Herald's, the Temporal UI's default list or its schedule pages uses, in a file the
// CLI has just created and is not running on. Lists by a dropped column still work, by a scan.
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import initSqlJs, { type Database } from 'sql.js';

const VISIBILITY_TABLE = 'executions_visibility';

/**
 * 'trimmed': without UNUSED_VISIBILITY_INDEXES and the unused keyword columns' indexes; 'all':
 * Temporal's schema as the CLI creates it.
 */
export type VisibilityIndexes = 'trimmed' | 'all';

/**
 * The indexes always dropped. Kept: the default list's index, the columns the Web UI filters by
 * (workflow id, type, status, execution time, task queue), those its schedule pages and Temporal's
 * own namespace division filter read, and the keyword columns that hold Herald's search attributes
 * (unusedKeywordIndexes).
 */
export const UNUSED_VISIBILITY_INDEXES = [
  'by_history_length',
  'by_history_size_bytes',
  'by_execution_duration',
  'by_state_transition_count',
  'by_parent_workflow_id',
  'by_parent_run_id',
  'by_root_workflow_id',
  'by_root_run_id',
  'by_batcher_user',
  'by_temporal_scheduled_start_time',
  'by_temporal_pause_info',
  'by_temporal_worker_deployment_version',
  'by_temporal_workflow_versioning_behavior',
  'by_temporal_worker_deployment',
  ...['bool', 'datetime', 'double', 'int'].flatMap((type) => ['01', '02', '03'].map((n) => `by_${type}_${n}`)),
] as const;

const KEYWORD_COLUMNS = Array.from({ length: 10 }, (_, i) => `Keyword${String(i + 1).padStart(2, '0')}`);

/** The index of one of the ten keyword columns: Keyword03 is indexed by by_keyword_03. */
export function keywordIndexName(column: string): string {
  return `by_keyword_${column.slice('Keyword'.length)}`;
}

/**
 * The indexes of the keyword columns no search attribute was given. The CLI gives each namespace's
 * attributes keyword columns in no fixed order (a namespace's `customSearchAttributeAliases` says
 * which), so only the columns that no namespace uses can go. An attribute added later may land on
 * one of them: lists by it then scan the table, as lists by any dropped column do.
 */
export function unusedKeywordIndexes(keywordColumnsInUse: ReadonlySet<string>): string[] {
  return KEYWORD_COLUMNS.filter((column) => !keywordColumnsInUse.has(column)).map(keywordIndexName);
}

// https://www.sqlite.org/fileformat.html#the_database_header
const HEADER_MAGIC = 'SQLite format 3\0';

/**
 * Drops UNUSED_VISIBILITY_INDEXES, and `alsoUnused`, from a dev server database that no process has
 * open, and returns the names dropped. The file is replaced by rename, so a crash leaves the old
 * file or the new one.
 */
export async function dropUnusedVisibilityIndexes(dbFile: string, alsoUnused: readonly string[] = []): Promise<string[]> {
  const db = await openClosedDatabase(dbFile);
  try {
    const present = new Set(indexNames(db));
    const dropped = [...UNUSED_VISIBILITY_INDEXES, ...alsoUnused].filter((name) => present.has(name));
    if (dropped.length === 0) return [];
    db.run(`BEGIN; ${dropped.map((name) => `DROP INDEX "${name}";`).join(' ')} COMMIT;`);
    const replacement = `${dbFile}.trimmed`;
    await writeFile(replacement, db.export());
    await rename(replacement, dbFile);
    return dropped;
  } finally {
    db.close();
  }
}

/** The visibility table's indexes, as its schema declares them, in a dev server database no process has open. */
export async function visibilityIndexNames(dbFile: string): Promise<string[]> {
  const db = await openClosedDatabase(dbFile);
  try {
    return indexNames(db);
  } finally {
    db.close();
  }
}

function indexNames(db: Database): string[] {
  const result = db.exec(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${VISIBILITY_TABLE}' AND sql IS NOT NULL ORDER BY name`);
  return (result[0]?.values ?? []).map(([name]) => String(name));
}

/**
 * An in-memory copy of the file. Throws when it is not a closed SQLite database: a journal or WAL
 * file beside it means a process has it open, or crashed holding it, and the file alone is not
 * the whole database.
 */
async function openClosedDatabase(dbFile: string): Promise<Database> {
  const bytes = await readFile(dbFile);
  if (bytes.subarray(0, HEADER_MAGIC.length).toString('latin1') !== HEADER_MAGIC) throw new Error(`${dbFile} is not a SQLite database`);
  for (const suffix of ['-wal', '-journal']) {
    if (await isNonEmptyFile(dbFile + suffix)) throw new Error(`${dbFile}${suffix} exists: the database is open or was not closed cleanly`);
  }
  const SQL = await initSqlJs();
  return new SQL.Database(bytes);
}

async function isNonEmptyFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
