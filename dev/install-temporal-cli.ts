// `npm run temporal:install`: find or build the Temporal CLI ahead of time (CI runs this before
// the tests, so the one-off multi-minute Go build is not charged to a test timeout).
import { findTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli';

async function main(): Promise<void> {
  const started = Date.now();
  const cli = await findTemporalCli({ build: true, log: (msg) => console.error(msg) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Temporal CLI (wanted ${TEMPORAL_CLI_VERSION}): ${cli} (found in ${seconds}s)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
