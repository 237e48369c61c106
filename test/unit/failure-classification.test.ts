import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeDuration } from '../../app/alert-mails';
import { isInfrastructureFault } from '../../app/faults';
import { storableHeaders, storableText } from '../../domain/storable-text';

const withCode = (message: string, code?: string) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('which attempt errors are infrastructure faults', () => {
  it('retries what goes away by itself: a database or network that is down, busy or restarting', () => {
    for (const err of [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('sorry, too many clients already', '53300'),
      withCode('connection failure', '08006'),
      withCode('could not serialize access', '40001'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Connection terminated unexpectedly'),
      new Error('wrapped', { cause: withCode('read ECONNRESET', 'ECONNRESET') }),
    ]) {
      assert.equal(isInfrastructureFault(err), true, err.message);
    }
  });

  it('does not retry what fails the same way every time', () => {
    for (const err of [
      new Error('encrypted secret failed authentication: wrong master key or tampered data'),
      new TypeError("Cannot read properties of undefined (reading 'url')"),
      withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021'),
      withCode('value too long for type character varying(10)', '22001'),
      'a string',
      undefined,
    ]) {
      assert.equal(isInfrastructureFault(err), false, String(err));
    }
  });
});

describe('what a receiver sends back, made storable', () => {
  it('replaces NUL and lone surrogates, and keeps everything else as sent', () => {
    assert.equal(storableText('ok\u0000body'), 'ok\ufffdbody');
    assert.equal(storableText('x\ud800y\udc00z'), 'x\ufffdy\ufffdz');
    assert.equal(storableText('emoji 🚀 stays, é too'), 'emoji 🚀 stays, é too');
    assert.deepEqual(storableHeaders({ 'x-a\u0000': 'v\u0000' }), { 'x-a\ufffd': 'v\ufffd' });
  });
});

describe('durations in alert mails', () => {
  it('reads as a person says it', () => {
    assert.equal(describeDuration(20_000), '1 min');
    assert.equal(describeDuration(12 * 60_000), '12 min');
    assert.equal(describeDuration(200 * 60_000), '3 h 20 min');
    assert.equal(describeDuration(5.2 * 86_400_000), '5.2 days');
  });
});
