import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createHttpSender } from '../../outbound/http-sender';

const servers: Server[] = [];
const sender = createHttpSender({ allowPrivateTargets: true, userAgent: 'Herald/test' });
const netTest = { timeout: 10_000 };

after(async () => {
  await sender.close();
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function serve(handler: RequestListener): Promise<string> {
  return `http://127.0.0.1:${await listen(createServer(handler))}`;
}

function post(url: string, timeoutMs = 2000) {
  return sender.send({ url, headers: { 'content-type': 'application/json' }, body: '{"n":1}', timeoutMs });
}

// Points any name at loopback, whichever form (single or all addresses) the socket asks for.
const resolveToLoopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

describe('http sender', () => {
  it('POSTs the body with the user agent and returns status, joined headers and body', netTest, async () => {
    const seen: { method: string | undefined; agent: string | undefined; body: string }[] = [];
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, agent: req.headers['user-agent'], body });
        res.setHeader('x-multi', ['a', 'b']);
        res.writeHead(201, { 'content-type': 'text/plain' }).end('created');
      });
    });
    const result = await sender.send({ url, headers: { 'User-Agent': 'spoofed' }, body: '{"n":1}', timeoutMs: 2000 });
    assert.deepEqual(seen, [{ method: 'POST', agent: 'Herald/test', body: '{"n":1}' }]);
    assert.equal(result.error, undefined);
    assert.equal(result.response?.status, 201);
    assert.equal(result.response.body, 'created');
    assert.equal(result.response.bodyTruncated, false);
    assert.equal(result.response.headers['x-multi'], 'a, b');
    assert.ok(result.durationMs >= 0);
  });

  it('returns a 302 as a response and never follows its Location', netTest, async () => {
    let targetHits = 0;
    const target = await serve((_req, res) => {
      targetHits++;
      res.end('ok');
    });
    const url = await serve((_req, res) => res.writeHead(302, { location: `${target}/landed` }).end());
    const result = await post(url);
    assert.equal(result.response?.status, 302);
    assert.equal(result.response.headers.location, `${target}/landed`);
    assert.equal(targetHits, 0);
  });

  it('gives up on a server that never answers with a timeout error', netTest, async () => {
    const url = await serve(() => undefined);
    const result = await post(url, 300);
    assert.equal(result.response, undefined);
    assert.equal(result.error?.code, 'timeout');
    assert.match(result.error.message, /300 ms/);
    assert.ok(result.durationMs >= 250 && result.durationMs < 2000, `took ${result.durationMs} ms`);
  });

  it('keeps only the first 4096 bytes of a 2 MB body', netTest, async () => {
    const url = await serve((_req, res) => res.end(Buffer.alloc(2 * 1024 * 1024, 'x')));
    const result = await post(url);
    assert.equal(result.response?.status, 200);
    assert.equal(Buffer.byteLength(result.response.body), 4096);
    assert.equal(result.response.bodyTruncated, true);
  });

  it('stops reading an endless body and cuts the connection', netTest, async () => {
    const limit = 64 * 1024 * 1024;
    let sent = 0;
    let resolveCut: (finished: boolean) => void = () => undefined;
    const cut = new Promise<boolean>((resolve) => (resolveCut = resolve));
    const url = await serve((_req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 'y');
      res.on('close', () => resolveCut(res.writableFinished));
      const pump = (): void => {
        while (sent < limit) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const result = await post(url);
    assert.equal(result.response?.bodyTruncated, true);
    assert.equal(result.response.body, 'y'.repeat(4096));
    assert.equal(await cut, false, 'the server finished writing: the body was not cut');
    assert.ok(sent < limit, `the server wrote ${sent} bytes`);
  });

  it('does not split a multi-byte character at the 4 KB limit', netTest, async () => {
    const url = await serve((_req, res) => res.end(`${'a'.repeat(4095)}é and more`));
    const result = await post(url);
    assert.equal(result.response?.body, 'a'.repeat(4095));
    assert.equal(result.response.bodyTruncated, true);
  });

  it('keeps a body of exactly 4096 bytes whole and untruncated', netTest, async () => {
    const url = await serve((_req, res) => res.end('z'.repeat(4096)));
    const result = await post(url);
    assert.equal(result.response?.body.length, 4096);
    assert.equal(result.response.bodyTruncated, false);
  });

  it('reads Retry-After from a 429 response', netTest, async () => {
    const url = await serve((_req, res) => res.writeHead(429, { 'retry-after': '30' }).end('slow down'));
    const result = await post(url);
    assert.equal(result.response?.status, 429);
    assert.equal(result.response.retryAfterMs, 30_000);
  });

  it('reports connection_refused for a port nobody listens on', netTest, async () => {
    const server = createServer();
    const port = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const result = await post(`http://127.0.0.1:${port}/`);
    assert.equal(result.error?.code, 'connection_refused');
  });

  it('reports connection_reset when the server destroys the socket', netTest, async () => {
    const url = await serve((req) => req.socket.destroy());
    const result = await post(url);
    assert.equal(result.error?.code, 'connection_reset');
  });

  it('reports dns_error for a name that does not resolve', netTest, async () => {
    const result = await post('http://nonexistent.invalid/');
    assert.equal(result.error?.code, 'dns_error');
    assert.match(result.error.message, /nonexistent\.invalid/);
  });

  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  it('reports tls_error for a self-signed certificate', { ...netTest, skip: hasOpenssl ? false : 'openssl CLI not available' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'herald-tls-'));
    try {
      const generated = spawnSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ]);
      assert.equal(generated.status, 0, generated.stderr.toString());
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end());
      const result = await post(`https://127.0.0.1:${await listen(server)}/`);
      assert.equal(result.error?.code, 'tls_error');
      assert.match(result.error.message, /self-signed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('http sender in secure mode', () => {
  it('refuses at connect time a public-looking name that resolves to loopback', netTest, async () => {
    let connections = 0;
    const server = createServer((_req, res) => res.end());
    server.on('connection', () => connections++);
    const port = await listen(server);
    const secure = createHttpSender({ allowPrivateTargets: false, userAgent: 'Herald/test', lookup: resolveToLoopback });
    try {
      const result = await secure.send({ url: `https://hooks.example.com:${port}/`, headers: {}, body: '{}', timeoutMs: 2000 });
      assert.equal(result.error?.code, 'blocked_address');
      assert.match(result.error.message, /127\.0\.0\.1/);
      assert.equal(connections, 0);
    } finally {
      await secure.close();
    }
  });

  it('refuses an http or IP-literal URL before connecting', async () => {
    const secure = createHttpSender({ allowPrivateTargets: false, userAgent: 'Herald/test' });
    try {
      for (const url of ['http://hooks.example.com/', 'https://127.0.0.1/', 'https://localhost/']) {
        const result = await secure.send({ url, headers: {}, body: '{}', timeoutMs: 2000 });
        assert.equal(result.error?.code, 'invalid_url', url);
      }
    } finally {
      await secure.close();
    }
  });

  it('reaches the same name when private targets are allowed, so the refusal is the address check', netTest, async () => {
    const port = await listen(createServer((_req, res) => res.end('inside')));
    const permissive = createHttpSender({ allowPrivateTargets: true, userAgent: 'Herald/test', lookup: resolveToLoopback });
    try {
      const result = await permissive.send({ url: `http://hooks.example.com:${port}/`, headers: {}, body: '{}', timeoutMs: 2000 });
      assert.equal(result.response?.body, 'inside');
    } finally {
      await permissive.close();
    }
  });
});
