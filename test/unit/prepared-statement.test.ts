import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnList, preparedStatement } from '../../db/prepared-statement';

test('a prepared statement carries its name, text and values to pg', () => {
  const byId = preparedStatement('event-by-id', 'SELECT e.id, e.type FROM events e WHERE e.id = $1');
  assert.deepEqual(byId(['evt_1']), { name: 'event-by-id', text: 'SELECT e.id, e.type FROM events e WHERE e.id = $1', values: ['evt_1'] });
});

test('a prepared statement that reads * is refused when it is declared, naming the statement', () => {
  for (const text of [
    'SELECT * FROM events',
    'select  *\nfrom events',
    'SELECT ep.* FROM endpoints ep',
    'SELECT ep.id, ev.* FROM endpoints ep, events ev',
    'SELECT id, * FROM events',
    'SELECT DISTINCT * FROM events',
    'SELECT DISTINCT ON (tenant_id) * FROM events',
    'SELECT "ep".* FROM endpoints "ep"',
    'SELECT (ep).* FROM endpoints ep',
    'INSERT INTO events (id) VALUES ($1) RETURNING *',
  ]) {
    assert.throws(() => preparedStatement('reads-star', text), /prepared statement reads-star reads .*\*.*: name its columns/, text);
  }
});

test('count(*) and multiplication are not a * read', () => {
  assert.doesNotThrow(() => preparedStatement('counted', 'SELECT count(*) AS n FROM events WHERE created_at < now() - $1 * interval \'1 ms\''));
});

test('columnList spells out every column of a row type under its alias', () => {
  assert.equal(columnList({ id: true, tenant_id: true, created_at: true }, 'ep'), 'ep.id, ep.tenant_id, ep.created_at');
});
