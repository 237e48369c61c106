import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTenantWithEndpoint, publish, waitForStatus } from '../helpers/fixtures';
import { useStack } from '../helpers/harness';
import type { Receiver } from '../helpers/receiver';
import type { Stack } from '../helpers/stack';
import { createHeraldWorker } from '../../worker/create-worker';
import { buildWorkflowBundle, manifestPathOf } from '../../worker/workflow-bundle';

describe('a worker on a prebuilt workflow bundle (HERALD_WORKFLOW_BUNDLE)', () => {
  let dir: string;
  let bundlePath: string;
  const harness = useStack(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'herald-bundle-'));
    bundlePath = path.join(dir, 'workflow-bundle.js');
    await buildWorkflowBundle(bundlePath);
    return { HERALD_WORKFLOW_BUNDLE: bundlePath };
  });
  let stack: Stack;
  let receiver: Receiver;
  before(async () => {
    stack = harness.stack;
    receiver = await harness.receiver();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A worker of this stack's dependencies, configured with another bundle path. */
  const workerWithBundle = (workflowBundlePath: string) => createHeraldWorker({ ...stack.deps, config: { ...stack.config, workflowBundlePath } });

  it('delivers, with the bundle and its manifest of sources written by the build', async () => {
    const manifest = JSON.parse(await readFile(manifestPathOf(bundlePath), 'utf8')) as { sources: Record<string, string> };
    assert.match(manifest.sources['workflows/delivery.ts'] ?? '', /^[0-9a-f]{64}$/);
    assert.ok(Object.keys(manifest.sources).some((f) => f.startsWith('node_modules/@temporalio/workflow/')), 'the SDK is not among the sources');

    const { tenantId } = await createTenantWithEndpoint(stack, receiver.url);
    const published = await publish(stack, tenantId);
    await receiver.waitFor(1);
    const detail = await waitForStatus(stack, published.deliveries[0]!.id, 'succeeded');
    assert.equal(detail.attempts.length, 1);
  });

  it('is refused when a source it was built from has changed since, naming the file', async () => {
    const stale = path.join(dir, 'stale.js');
    await copyFile(bundlePath, stale);
    const manifest = JSON.parse(await readFile(manifestPathOf(bundlePath), 'utf8')) as { sources: Record<string, string> };
    manifest.sources['workflows/delivery.ts'] = '0'.repeat(64);
    await writeFile(manifestPathOf(stale), JSON.stringify(manifest));
    await assert.rejects(workerWithBundle(stale), /stale\.js was built from another version of workflows\/delivery\.ts.*npm run build:workflows/);
  });

  it('is refused when the file or its manifest is missing', async () => {
    await assert.rejects(workerWithBundle(path.join(dir, 'nowhere.js')), /nowhere\.js does not exist \(npm run build:workflows writes it\)/);
    const alone = path.join(dir, 'alone.js');
    await copyFile(bundlePath, alone);
    await assert.rejects(workerWithBundle(alone), /alone\.js\.sources\.json, written with the bundle, is missing/);
  });
});
