import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { keywordIndexName, UNUSED_VISIBILITY_INDEXES, visibilityIndexNames } from '../../dev/dev-server-visibility-indexes';
import { findTemporalCli } from '../../dev/temporal-cli';
import { createDevServerDatabase, startTemporalDevServer } from '../../dev/temporal-dev-server';
import { SEARCH_ATTRIBUTE_KEYS, SEARCH_ATTRIBUTES, tenantIdKey } from '../../workflows/search-attributes';
import { eventually } from '../helpers/eventually';

// The dev server's database as npm start creates it: Temporal's schema without the visibility
// indexes no list uses (README "Performance"), still listing by Herald's search attributes, and
// still the same database after a restart.

const KEYWORD_INDEXES = Array.from({ length: 10 }, (_, i) => `by_keyword_${String(i + 1).padStart(2, '0')}`);
// One namespace ("default") whose attributes are all keywords: the other keyword columns' indexes go too.
const DROPPED_WITH_ONE_NAMESPACE = UNUSED_VISIBILITY_INDEXES.length + KEYWORD_INDEXES.length - SEARCH_ATTRIBUTE_KEYS.length;

describe('the dev server database', () => {
  let dir: string;
  let cliPath: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'herald-devdb-'));
    cliPath = await findTemporalCli();
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function withServer<T>(dbFile: string, use: (client: Client) => Promise<T>): Promise<T> {
    const server = await startTemporalDevServer({ cliPath, dbFile });
    const connection = await Connection.connect({ address: server.address });
    try {
      return await use(new Client({ connection }));
    } finally {
      await connection.close();
      await server.stop();
    }
  }

  it('is created without the unused visibility indexes and still lists by a Herald search attribute, before and after a restart', async () => {
    const dbFile = path.join(dir, 'trimmed.db');
    await createDevServerDatabase({ cliPath, dbFile });
    const indexes = await visibilityIndexNames(dbFile);
    for (const name of UNUSED_VISIBILITY_INDEXES) assert.ok(!indexes.includes(name), `${name} dropped`);
    for (const name of ['default_idx', 'by_workflow_id', 'by_status']) assert.ok(indexes.includes(name), `${name} kept`);
    assert.equal(indexes.length, 45 - DROPPED_WITH_ONE_NAMESPACE);

    const tenant = `tenant_${randomBytes(4).toString('hex')}`;
    const workflowId = `visibility-${tenant}`;
    const listTenant = async (client: Client) => {
      const ids: string[] = [];
      for await (const execution of client.workflow.list({ query: `${SEARCH_ATTRIBUTES.tenantId} = '${tenant}'` })) ids.push(execution.workflowId);
      return ids;
    };

    await withServer(dbFile, async (client) => {
      // Each of Herald's attributes keeps its column's index, and only those keyword indexes are left.
      const { config } = await client.workflowService.describeNamespace({ namespace: 'default' });
      const columnOf = new Map(Object.entries(config?.customSearchAttributeAliases ?? {}).map(([column, name]) => [name, column]));
      const heraldIndexes = SEARCH_ATTRIBUTE_KEYS.map((key) => {
        const column = columnOf.get(key.name);
        assert.ok(column, `${key.name} has a column`);
        return keywordIndexName(column);
      });
      assert.deepEqual(indexes.filter((name) => KEYWORD_INDEXES.includes(name)).sort(), heraldIndexes.sort());

      // No worker: the workflow stays running, and visibility records its start.
      await client.workflow.start('noWorkerWorkflow', { taskQueue: 'no-worker', workflowId, typedSearchAttributes: [{ key: tenantIdKey, value: tenant }] });
      await eventually(async () => {
        assert.deepEqual(await listTenant(client), [workflowId]);
        return true;
      }, 10_000);
    });

    await withServer(dbFile, async (client) => {
      assert.deepEqual(await listTenant(client), [workflowId]);
      await client.workflow.getHandle(workflowId).terminate('test over');
    });
  });

  it('is created by the first start on a missing file', async () => {
    const dbFile = path.join(dir, 'first-start.db');
    const logged: string[] = [];
    const server = await startTemporalDevServer({ cliPath, dbFile, log: (m) => logged.push(m) });
    await server.stop();
    assert.ok(logged.includes(`created ${dbFile} without the ${DROPPED_WITH_ONE_NAMESPACE} visibility indexes no list uses`), logged.join('\n'));
  });

  it("keeps Temporal's whole schema when asked, and every index the trim drops is in it", async () => {
    const dbFile = path.join(dir, 'all.db');
    await createDevServerDatabase({ cliPath, dbFile, visibilityIndexes: 'all' });
    const indexes = await visibilityIndexNames(dbFile);
    // A CLI whose schema renamed these would leave them in place unnoticed: this says so.
    for (const name of [...UNUSED_VISIBILITY_INDEXES, ...KEYWORD_INDEXES]) assert.ok(indexes.includes(name), `${name} in the CLI's schema`);
    assert.equal(indexes.length, 45);
  });
});
