// `npm start`: the whole service on localhost with embedded defaults (README, "Quick start"). A Temporal dev
// server with its Web UI unless TEMPORAL_ADDRESS is set, a PostgreSQL of its own unless
// DATABASE_URL is set, then migrations, the worker and the API in this one process.
import path from 'node:path';
import { runService } from '../api/server';
import { createHerald } from '../composition/herald';
import { loadConfig } from '../config/config';
import { createLogger } from '../observability/logger';
import { loadOrCreateDevSecrets } from './dev-secrets';
import { startEmbeddedPostgres } from './embedded-postgres';
import { findTemporalCli } from './temporal-cli';
import { startTemporalDevServer } from './temporal-dev-server';

const DATA_DIR = path.resolve(process.env.HERALD_DATA_DIR ?? '.herald');
const say = (msg: string) => console.error(`[herald] ${msg}`);

async function main(): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => say(`stop failed: ${String(err)}`));
  };
  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    const secrets = loadOrCreateDevSecrets(DATA_DIR);
    env.HERALD_ADMIN_KEY ??= secrets.adminKey;
    env.HERALD_ENCRYPTION_KEY ??= secrets.encryptionKey;

    if (!env.DATABASE_URL) {
      say('starting PostgreSQL (embedded) ...');
      const pg = await startEmbeddedPostgres({ dataDir: path.join(DATA_DIR, 'postgres'), log: say });
      stops.push(pg.stop);
      env.DATABASE_URL = pg.databaseUrl;
    }
    if (!env.TEMPORAL_ADDRESS) {
      say('starting the Temporal dev server ...');
      const cliPath = await findTemporalCli({ build: true, log: say });
      const temporal = await startTemporalDevServer({
        cliPath,
        dbFile: path.join(DATA_DIR, 'temporal.db'),
        port: Number(env.TEMPORAL_DEV_PORT ?? 7233),
        uiPort: Number(env.TEMPORAL_DEV_UI_PORT ?? 8233),
        log: say,
      });
      stops.push(temporal.stop);
      env.TEMPORAL_ADDRESS = temporal.address;
      env.TEMPORAL_UI_URL ??= temporal.uiUrl;
    }

    const config = loadConfig(env);
    const logger = createLogger(config);
    // One set of dependencies for both: the API's starts hand the first workflow task straight
    // to the worker beside it (eager start).
    const herald = await createHerald(config, logger, { withWorker: true });
    stops.push(herald.close);
    const service = await runService(herald, { withWorker: true });

    console.log(
      [
        '',
        'Herald is running.',
        `  API:          ${service.url}`,
        `  Temporal UI:  ${config.temporal.uiUrl}`,
        `  Admin key:    ${config.adminKey}`,
        `  Try:          curl -H "Authorization: Bearer ${config.adminKey}" ${service.url}/v1/tenants`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    // Until Ctrl-C or SIGTERM has stopped the API and the worker; then the rest stops.
    await service.stopped;
  } finally {
    await stopAll();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
