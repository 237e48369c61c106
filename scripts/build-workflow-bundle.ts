// Builds the workflow bundle a production worker loads instead of running webpack at start-up:
//   npm run build:workflows [-- <path>]   (default dist/workflow-bundle.js)
// Point HERALD_WORKFLOW_BUNDLE at it (README, "Production"). A manifest of the sources it was built
// from is written beside it; a worker refuses a bundle whose sources have changed since.
import path from 'node:path';
import { buildWorkflowBundle } from '../worker/workflow-bundle';

const DEFAULT_PATH = path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');

async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? DEFAULT_PATH);
  const { bytes, sources } = await buildWorkflowBundle(target);
  console.log(`wrote ${target} (${(bytes / 1024 / 1024).toFixed(2)} MB, built from ${sources} source files)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
