// Creates or upgrades the Temporal server's two PostgreSQL databases (persistence and visibility),
// with the schemas embedded in the server's own SQL tool, so the schema always matches the server
// binary. Idempotent: a second run finds both at the latest version and changes nothing.
import { spawn } from 'node:child_process';
import { Client } from 'pg';

export const DEFAULT_TEMPORAL_DATABASE = 'herald_temporal';
export const DEFAULT_TEMPORAL_VISIBILITY_DATABASE = 'herald_temporal_visibility';

// Names of the schemas embedded in temporal-sql-tool (server/schema/postgresql/v12/...).
const SCHEMAS = { persistence: 'postgresql/v12/temporal', visibility: 'postgresql/v12/visibility' } as const;
// Keeps two processes (parallel test files, a cluster and a test) from setting up at once.
const SCHEMA_LOCK = 'herald-temporal-schema';
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface TemporalDatabaseOptions {
  /**
   * Any URL of the PostgreSQL server (`postgres://user:password@host:port/db`); its database, if
   * any, is only used to connect for CREATE DATABASE (else `postgres`).
   */
  postgresUrl: string;
  database?: string;
  visibilityDatabase?: string;
}

/** Where the Temporal server finds its databases: what deploy/temporal/server.yaml is filled with. */
export interface TemporalDatabases {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  visibilityDatabase: string;
}

export function resolveTemporalDatabases(opts: TemporalDatabaseOptions): TemporalDatabases {
  const url = new URL(opts.postgresUrl);
  const databases: TemporalDatabases = {
    // new URL keeps IPv6 literals in brackets; the server and the tool want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    database: opts.database ?? DEFAULT_TEMPORAL_DATABASE,
    visibilityDatabase: opts.visibilityDatabase ?? DEFAULT_TEMPORAL_VISIBILITY_DATABASE,
  };
  for (const name of [databases.database, databases.visibilityDatabase]) {
    // Names go into CREATE DATABASE and the server config: keep them plain identifiers.
    if (!DATABASE_NAME.test(name)) throw new Error(`Invalid Temporal database name ${JSON.stringify(name)} (lower-case letters, digits, _)`);
  }
  if (databases.database === databases.visibilityDatabase) throw new Error('Temporal persistence and visibility need two different databases');
  return databases;
}

export interface SchemaVersions {
  persistence: { before: string | undefined; after: string };
  visibility: { before: string | undefined; after: string };
}

/**
 * Creates the two databases when absent, then brings each schema to the latest version the tool
 * embeds (`setup-schema -v 0.0` creates only the version tables, `update-schema` applies every
 * versioned step after the current one).
 */
export async function setupTemporalSchemas(
  opts: TemporalDatabaseOptions & { sqlTool: string; log?: (msg: string) => void },
): Promise<{ databases: TemporalDatabases; versions: SchemaVersions }> {
  const log = opts.log ?? (() => undefined);
  const databases = resolveTemporalDatabases(opts);
  const admin = await connectAdmin(opts.postgresUrl);
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [SCHEMA_LOCK]);
    const setup = async (kind: keyof typeof SCHEMAS, name: string) => {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE DATABASE "${name}"`);
        log(`created database ${name}`);
      }
      const before = await schemaVersion(opts.postgresUrl, name);
      await runSqlTool(opts.sqlTool, databases, name, ['setup-schema', '-v', '0.0']);
      await runSqlTool(opts.sqlTool, databases, name, ['update-schema', '--schema-name', SCHEMAS[kind]]);
      const after = await schemaVersion(opts.postgresUrl, name);
      if (after === undefined) throw new Error(`temporal-sql-tool left no schema version in ${name}`);
      log(before === after ? `${name}: ${kind} schema ${after}, up to date` : `${name}: ${kind} schema ${before ?? 'none'} -> ${after}`);
      return { before, after };
    };
    const versions: SchemaVersions = {
      persistence: await setup('persistence', databases.database),
      visibility: await setup('visibility', databases.visibilityDatabase),
    };
    return { databases, versions };
  } finally {
    // Ending the session releases the advisory lock too.
    await admin.end();
  }
}

/** Drops both databases (tests' scratch pairs), disconnecting whoever still uses them. */
export async function dropTemporalDatabases(opts: TemporalDatabaseOptions): Promise<void> {
  const databases = resolveTemporalDatabases(opts);
  const admin = await connectAdmin(opts.postgresUrl);
  try {
    for (const name of [databases.database, databases.visibilityDatabase]) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function connectAdmin(postgresUrl: string): Promise<Client> {
  const url = new URL(postgresUrl);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  return client;
}

/** The version the tool recorded in the database's schema_version table; undefined before setup. */
async function schemaVersion(postgresUrl: string, database: string): Promise<string | undefined> {
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('schema_version') IS NOT NULL AS present`);
    if (!(table.rows[0] as { present: boolean }).present) return undefined;
    const { rows } = await client.query<{ curr_version: string }>('SELECT curr_version FROM schema_version WHERE db_name = $1', [database]);
    return rows[0]?.curr_version;
  } finally {
    await client.end();
  }
}

function runSqlTool(sqlTool: string, databases: TemporalDatabases, database: string, args: string[]): Promise<void> {
  // Connection settings go through the tool's environment variables, so the password never shows
  // in `ps`. Inherited SQL_* variables (e.g. SQL_TLS) must not change what this run does.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SQL_')));
  Object.assign(env, {
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: databases.host,
    SQL_PORT: String(databases.port),
    SQL_USER: databases.user,
    SQL_PASSWORD: databases.password,
    SQL_DATABASE: database,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(sqlTool, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // The tool logs every statement at debug level: keep only a tail for error reports.
    let tail = '';
    const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-6000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${sqlTool} ${args.join(' ')} on ${database} exited with ${signal ?? `code ${code}`}:\n${tail}`));
    });
  });
}
