// Finds or builds the Temporal server, its SQL tool and the Web UI server ahead of time (for CI,
// before tests that run `npm run cluster`), so the one-off Go build (about 2.5 minutes on 2 cores)
// is not charged to a test timeout.
import { findTemporalServerBinaries, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_SERVER_VERSION } from './temporal-server-build';

async function main(): Promise<void> {
  const started = Date.now();
  const binaries = await findTemporalServerBinaries({ build: true, log: (msg) => console.error(msg) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Temporal server ${TEMPORAL_SERVER_VERSION}: ${binaries.server}`);
  console.log(`temporal-sql-tool ${TEMPORAL_SERVER_VERSION}: ${binaries.sqlTool}`);
  console.log(`Temporal Web UI server ${TEMPORAL_UI_SERVER_VERSION}: ${binaries.uiServer ?? 'not available'}`);
  console.log(`(found in ${seconds}s)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
