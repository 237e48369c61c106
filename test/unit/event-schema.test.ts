import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventSchemaFaults, validateEventData } from '../../domain/event-schema';
import seeds from '../fixtures/seed-events.json';

const buildSchema = {
  type: 'object',
  required: ['build'],
  properties: {
    build: {
      type: 'object',
      required: ['number', 'status'],
      properties: {
        number: { type: 'integer' },
        status: { enum: ['PENDING', 'PASSED', 'ACCEPTED', 'DENIED', 'BROKEN', 'CANCELLED', 'FAILED', 'BUILD_ACCEPTED'] },
        webUrl: { type: 'string', format: 'uri' },
        branch: { type: 'string', pattern: '^[\\w./-]+$' },
      },
    },
  },
};
const paths = (faults: { path: string }[]) => faults.map((f) => f.path);

describe('event data against its type’s JSON Schema', () => {
  it('accepts the visual-testing seed’s build event', () => {
    assert.deepEqual(validateEventData({ schema: buildSchema }, seeds.chromatic_build_status_changed.event.data), []);
  });

  it('names each failing path under data', () => {
    const faults = validateEventData({ schema: buildSchema }, { build: { number: '123', status: 'GREEN', webUrl: 'not a url' } });
    assert.deepEqual(paths(faults).sort(), ['data.build.number', 'data.build.status', 'data.build.webUrl']);
  });

  it('names a missing property by its own path', () => {
    assert.deepEqual(validateEventData({ schema: buildSchema }, { build: { number: 1 } }), [{ path: 'data.build.status', message: 'is required' }]);
    assert.deepEqual(paths(validateEventData({ schema: buildSchema }, [])), ['data']);
  });

  it('accepts anything for a type without a schema or outside the catalog', () => {
    assert.deepEqual(validateEventData({ schema: null }, 'anything'), []);
    assert.deepEqual(validateEventData(undefined, 'anything'), []);
  });

  it('follows a schema that changed under the same $id', () => {
    assert.deepEqual(validateEventData({ schema: { $id: 'https://schemas.example.com/build.json', type: 'object' } }, {}), []);
    assert.deepEqual(paths(validateEventData({ schema: { $id: 'https://schemas.example.com/build.json', type: 'string' } }, {})), ['data']);
  });

  it('matches schema patterns in linear time', () => {
    const schema = { type: 'string', pattern: '^(a+)+$' };
    const started = Date.now();
    assert.deepEqual(paths(validateEventData({ schema }, `${'a'.repeat(50_000)}!`)), ['data']);
    assert.ok(Date.now() - started < 1000);
  });
});

describe('checking a JSON Schema when it is saved', () => {
  it('accepts a valid draft-07 schema', () => {
    assert.deepEqual(eventSchemaFaults(buildSchema), []);
    assert.deepEqual(eventSchemaFaults({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', example: { x: 1 } }), []);
  });

  it('names the path of each fault inside the schema', () => {
    assert.deepEqual(paths(eventSchemaFaults({ type: 'object', properties: { status: { type: 'strin' } }, required: 'status' })).sort(), [
      'properties.status.type',
      'required',
    ]);
  });

  it('refuses non-objects, other drafts, unresolvable refs, unknown formats and patterns RE2 cannot run', () => {
    assert.deepEqual(paths(eventSchemaFaults(true)), ['']);
    assert.deepEqual(paths(eventSchemaFaults({ $schema: 'https://json-schema.org/draft/2020-12/schema' })), ['$schema']);
    assert.deepEqual(paths(eventSchemaFaults({ properties: { a: { $ref: '#/definitions/missing' } } })), ['']);
    assert.deepEqual(paths(eventSchemaFaults({ properties: { at: { type: 'string', format: 'datetime' } } })), ['properties.at.format']);
    assert.deepEqual(paths(eventSchemaFaults({ properties: { a: { type: 'string', pattern: '^(?!x)' } } })), ['properties.a.pattern']);
  });
});
