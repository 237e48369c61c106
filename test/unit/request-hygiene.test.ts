import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonFault, MAX_JSON_DEPTH } from '../../api/json-limits';
import { pathFault } from '../../api/middleware/canonical-path';
import { timestampSchema } from '../../api/schemas/common';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../db/pagination';
import { createVisibilityCursors } from '../../temporal/visibility-cursor';

const nested = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('request paths', () => {
  it('accepts the one spelling of a path', () => {
    for (const path of ['/', '/healthz', '/v1/tenants/tnt_01J0000000000000000000000', '/v1/event-types/Task.Completed', '/docs/swagger-ui.css']) {
      assert.equal(pathFault(path), undefined, path);
    }
  });

  it('refuses percent-encoding, empty segments and dot segments', () => {
    for (const path of ['/v1/%74enants', '/v1/tenants/%00', '/v1%2Ftenants', '//v1/tenants', '/v1//tenants', '/v1/tenants/', '/v1/./tenants', '/v1/x/../tenants', '/v1/ténants', '*']) {
      assert.ok(pathFault(path), path);
    }
  });
});

describe('JSON a request may carry', () => {
  it('names the path of a NUL, a lone surrogate, a huge number or a __proto__ key', () => {
    assert.deepEqual(jsonFault({ name: 'a\u0000b' }), { path: 'name', message: 'contains a NUL character (\\u0000)' });
    assert.equal(jsonFault({ data: { list: ['ok', '\ud800'] } })?.path, 'data.list.1');
    assert.equal(jsonFault({ data: { ['k\u0000']: 1 } })?.path, 'data.k\u0000');
    assert.equal(jsonFault(JSON.parse('{"data": {"n": 1e400}}'))?.path, 'data.n');
    assert.equal(jsonFault(JSON.parse('{"metadata": {"__proto__": {"admin": true}}}'))?.path, 'metadata.__proto__');
  });

  it('accepts emoji (surrogate pairs) and ordinary values', () => {
    assert.equal(jsonFault({ text: 'ship it 🚀', n: -1.5e300, deep: nested(MAX_JSON_DEPTH - 1) }), undefined);
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels without recursing`, () => {
    assert.equal(jsonFault(nested(MAX_JSON_DEPTH)), undefined);
    assert.match(jsonFault(nested(MAX_JSON_DEPTH + 1))?.message ?? '', /deeper than/);
    assert.match(jsonFault(nested(100_000))?.message ?? '', /deeper than/);
  });
});

describe('cursors', () => {
  it('round-trips a key and refuses anything it did not make', () => {
    assert.equal(decodeCursor(encodeCursor('ep_01J0000000000000000000000')), 'ep_01J0000000000000000000000');
    for (const cursor of ['AAAA', '!!!', encodeCursor('a b'), encodeCursor('x'.repeat(300))]) {
      assert.throws(() => decodeCursor(cursor), InvalidCursorError, cursor);
    }
  });

  it('seals a visibility page token to its query and refuses forged or moved cursors', () => {
    const cursors = createVisibilityCursors('server-secret');
    const token = Buffer.from('{"StartTime":1}');
    const sealed = cursors.seal(token, "HeraldTenantId = 'a'");
    assert.deepEqual(cursors.open(sealed, "HeraldTenantId = 'a'"), token);
    assert.throws(() => cursors.open(sealed, "HeraldTenantId = 'b'"), InvalidCursorError);
    assert.throws(() => createVisibilityCursors('other-secret').open(sealed, "HeraldTenantId = 'a'"), InvalidCursorError);
    for (const forged of ['bnVsbA', 'bnVsbA.AAAA', `${sealed}.x`, '.']) assert.throws(() => cursors.open(forged, "HeraldTenantId = 'a'"), InvalidCursorError);
  });
});

describe('timestamps', () => {
  it('refuses an offset beyond ±23:59, which zod alone lets through', () => {
    assert.equal(timestampSchema.safeParse('2026-01-15T10:00:00+23:59').success, true);
    assert.equal(timestampSchema.safeParse('2026-01-15T10:00:00+25:00').success, false);
    assert.equal(timestampSchema.safeParse('2026-02-30T10:00:00Z').success, false);
  });
});
