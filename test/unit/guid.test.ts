import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guidFor } from '../../domain/guid';
import { newId } from '../../domain/ids';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('GUIDs for ids', () => {
  it('maps a Herald id onto a GUID one to one, keeping its 128 bits', () => {
    const ids = Array.from({ length: 200 }, () => newId('evt'));
    const guids = ids.map(guidFor);
    for (const g of guids) assert.match(g, GUID);
    assert.equal(new Set(guids).size, ids.length);
    assert.equal(guidFor('evt_00000000000000000000000001'), '00000000-0000-0000-0000-000000000001');
    assert.equal(guidFor('evt_7ZZZZZZZZZZZZZZZZZZZZZZZZZ'), 'ffffffff-ffff-ffff-ffff-ffffffffffff');
  });

  it('keeps a GUID as it is and gives any other string a stable version-8 GUID', () => {
    assert.equal(guidFor('C02F0F73-1706-4973-9A4D-38007D6685E9'), 'c02f0f73-1706-4973-9a4d-38007d6685e9');
    const named = guidFor('order-42');
    assert.match(named, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(guidFor('order-42'), named);
  });
});
