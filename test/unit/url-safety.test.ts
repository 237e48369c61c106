import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEndpointUrl, isBlockedAddress } from '../../domain/url-safety';

const secure = { allowPrivateTargets: false };
const permissive = { allowPrivateTargets: true };

function refusal(raw: string, opts = secure): string {
  const result = checkEndpointUrl(raw, opts);
  assert.equal(result.ok, false, `${raw} should be refused`);
  return result.ok ? '' : result.reason;
}

describe('checkEndpointUrl in secure mode', () => {
  it('accepts an https URL naming a public host and returns the parsed URL', () => {
    const result = checkEndpointUrl('https://hooks.example.com:8443/in?x=1', secure);
    assert.ok(result.ok);
    assert.equal(result.url.hostname, 'hooks.example.com');
    assert.equal(result.url.port, '8443');
  });

  it('accepts an internationalised host name', () => {
    assert.ok(checkEndpointUrl('https://bücher.example/hook', secure).ok);
  });

  it('refuses plain http', () => {
    assert.match(refusal('http://hooks.example.com/'), /https/);
  });

  it('refuses schemes other than http and https', () => {
    for (const raw of ['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://example.com/']) {
      assert.match(refusal(raw), /scheme/);
    }
  });

  it('refuses text that is not an absolute URL', () => {
    for (const raw of ['', 'hooks.example.com/in', '/relative', 'https://']) refusal(raw);
  });

  it('refuses IPv4 and IPv6 literals', () => {
    for (const raw of ['https://93.184.216.34/', 'https://127.0.0.1/', 'https://[2606:4700::1111]/', 'https://[::1]:8443/']) {
      assert.match(refusal(raw), /IP address/);
    }
  });

  it('refuses IPv4 written in decimal, hex, octal or short forms', () => {
    for (const raw of ['https://2130706433/', 'https://0x7f.1/', 'https://0177.0.0.1/', 'https://127.1/', 'https://0/']) {
      assert.match(refusal(raw), /IP address/);
    }
  });

  it('refuses credentials in the URL', () => {
    assert.match(refusal('https://user:secret@hooks.example.com/'), /credentials/);
    assert.match(refusal('https://user@hooks.example.com/'), /credentials/);
  });

  it('refuses localhost and internal name suffixes, whatever their case or trailing dot', () => {
    const hosts = ['localhost', 'LOCALHOST.', 'api.localhost', 'printer.local', 'db.internal', 'nas.home.arpa', 'box.localdomain'];
    for (const host of hosts) assert.match(refusal(`https://${host}/`), /internal/);
  });

  it('refuses cloud metadata service names', () => {
    for (const host of ['metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']) {
      assert.match(refusal(`https://${host}/latest/meta-data/`), /internal/);
    }
  });

  it('refuses single-label host names, which only resolve through local search domains', () => {
    assert.match(refusal('https://intranet/hook'), /fully qualified/);
  });

  it('refuses URLs longer than 2048 characters', () => {
    assert.match(refusal(`https://hooks.example.com/${'a'.repeat(2048)}`), /2048/);
  });
});

describe('checkEndpointUrl with private targets allowed', () => {
  it('accepts http and loopback targets for local development', () => {
    for (const raw of ['http://127.0.0.1:3000/hook', 'http://localhost:8080/', 'https://[::1]/', 'http://receiver/']) {
      assert.ok(checkEndpointUrl(raw, permissive).ok, raw);
    }
  });

  it('still refuses other schemes, credentials and overlong URLs', () => {
    assert.match(refusal('ftp://127.0.0.1/', permissive), /scheme/);
    assert.match(refusal('http://u:p@127.0.0.1/', permissive), /credentials/);
    assert.match(refusal(`http://127.0.0.1/${'a'.repeat(2048)}`, permissive), /2048/);
  });
});

describe('isBlockedAddress', () => {
  const cases: Record<string, string[]> = {
    loopback: ['127.0.0.1', '127.255.255.254', '::1', '[::1]'],
    private: ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1'],
    'link-local': ['169.254.169.254', 'fe80::1', 'fe80::1%eth0', 'febf::1'],
    CGNAT: ['100.64.0.1', '100.127.255.255'],
    multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1', 'ff0e::1'],
    unspecified: ['0.0.0.0', '0.1.2.3', '::'],
    broadcast: ['255.255.255.255'],
    reserved: ['240.0.0.1'],
    'unique-local': ['fc00::1', 'fd12:3456:789a::1'],
    documentation: ['192.0.2.1', '198.51.100.7', '203.0.113.9', '2001:db8::1', '3fff::1'],
    benchmarking: ['198.18.0.1', '198.19.255.255'],
    'IPv4-mapped': ['::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:10.0.0.1', '::ffff:a9fe:a9fe'],
    'IPv4-compatible': ['::127.0.0.1', '::a00:1'],
    NAT64: ['64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1'],
    '6to4': ['2002:7f00:1::', '2002:c0a8:0101::1', '2002:a00:1:1::1'],
    Teredo: ['2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  };
  for (const [kind, addresses] of Object.entries(cases)) {
    it(`blocks ${kind} addresses`, () => {
      for (const address of addresses) assert.equal(isBlockedAddress(address), true, address);
    });
  }

  it('treats text that is not an IP address as blocked', () => {
    for (const text of ['', 'example.com', '1.2.3', '::g']) assert.equal(isBlockedAddress(text), true, text);
  });

  it('lets public unicast addresses through, including IPv6 forms embedding a public IPv4', () => {
    const publicAddresses = [
      '93.184.216.34',
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '192.169.0.1',
      '2606:4700:4700::1111',
      '2a00:1450:4001:81c::200e',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ];
    for (const address of publicAddresses) assert.equal(isBlockedAddress(address), false, address);
  });
});

describe('refused domains', () => {
  const policy = { allowPrivateTargets: false, refusedDomains: ['creativeforce.io'] };
  it('refuses a configured domain and its subdomains, in any mode', () => {
    for (const url of ['https://creativeforce.io/hook', 'https://api.creativeforce.io/hook', 'https://API.CreativeForce.io./x']) {
      assert.equal(checkEndpointUrl(url, policy).ok, false, url);
      assert.equal(checkEndpointUrl(url, { ...policy, allowPrivateTargets: true }).ok, false, url);
    }
  });
  it('still accepts other domains that merely end alike', () => {
    assert.equal(checkEndpointUrl('https://notcreativeforce.io/hook', policy).ok, true);
  });
});
