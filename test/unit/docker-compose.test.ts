// docker-compose.yml is never started here (no Docker engine in CI): this keeps it true to what
// `npm run cluster` and the cluster tests run, so the two cannot drift apart. The same Temporal
// server and Web UI versions as dev/temporal-server-build.ts builds, the same server configuration
// (deploy/temporal/), and the same schema steps as dev/temporal-server-schema.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_SERVER_VERSION } from '../../dev/temporal-server-build';

const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  entrypoint?: string[] | string;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
}

// `<<` merge keys (YAML 1.1), as Compose reads them.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const imageOf = (service: Service) => {
  const [name, tag] = (service.image ?? '').split(':');
  return { name, tag };
};
const withImage = (name: string) => services.filter(([, s]) => imageOf(s).name === name);
/** What the container runs, as one string (entrypoint and command joined). */
const script = (service: Service) => [service.entrypoint ?? [], service.command ?? []].flat().join(' ');
const bare = (version: string) => version.replace(/^v/, '');

describe('docker-compose.yml', () => {
  it('runs the Temporal server version dev/temporal-server-build.ts builds', () => {
    const temporalImages = services.filter(([, s]) => /^temporalio\/(server|auto-setup|admin-tools)$/.test(imageOf(s).name ?? ''));
    assert.ok(withImage('temporalio/server').length > 0, 'a temporalio/server service');
    for (const [name, service] of temporalImages) {
      // admin-tools tags carry suffixes (1.29.1-tctl-...); the server version comes first.
      assert.equal(imageOf(service).tag?.split('-')[0], bare(TEMPORAL_SERVER_VERSION), `${name}: ${service.image}`);
    }
  });

  it('runs the Temporal Web UI version dev/temporal-server-build.ts builds', () => {
    const ui = withImage('temporalio/ui');
    assert.equal(ui.length, 1, 'one temporalio/ui service');
    assert.equal(imageOf(ui[0]![1]).tag, bare(TEMPORAL_UI_SERVER_VERSION));
  });

  it('starts the server on deploy/temporal/ (server.yaml, dynamicconfig.yaml), as npm run cluster does', () => {
    const servers = services.filter(([, s]) => /\btemporal-server\b.*\bstart\b/.test(script(s)));
    assert.equal(servers.length, 1, 'one service runs temporal-server');
    const [name, server] = servers[0]!;
    assert.equal(imageOf(server).name, 'temporalio/server', `${name} runs the server image`);
    const mount = (server.volumes ?? []).map((v) => v.split(':')).find(([from]) => from === './deploy/temporal');
    assert.ok(mount, `${name} mounts ./deploy/temporal`);
    const root = mount[1]!;
    // The arguments dev/temporal-server.ts starts the server with.
    assert.match(script(server), new RegExp(`temporal-server --root ${root} --config \\. --env server --allow-no-auth start`));
    const env = server.environment ?? {};
    assert.equal(env.HERALD_TEMPORAL_DYNAMIC_CONFIG, `${root}/dynamicconfig.yaml`);
    // Every variable given is one server.yaml reads (a misspelt one would silently fall back to
    // its default), and the connection settings without a usable default are given.
    const template = read('deploy/temporal/server.yaml');
    const templateReads = new Set([...template.matchAll(/env "(HERALD_TEMPORAL_[A-Z_]+)"/g)].map((m) => m[1]!));
    for (const key of Object.keys(env).filter((k) => k.startsWith('HERALD_TEMPORAL_'))) assert.ok(templateReads.has(key), `server.yaml reads ${key}`);
    for (const key of ['HERALD_TEMPORAL_DB_HOST', 'HERALD_TEMPORAL_DB_PASSWORD', 'HERALD_TEMPORAL_DB_NAME', 'HERALD_TEMPORAL_VISIBILITY_DB_NAME']) {
      assert.ok(key in env, `${name} sets ${key}`);
    }
    // Set in the command: the container's own address, to bind and to announce.
    assert.match(script(server), /HERALD_TEMPORAL_BIND_IP=/);
  });

  it('sets up both schemas with the steps dev/temporal-server-schema.ts runs, on the databases the server uses, before the server starts', () => {
    const source = read('dev/temporal-server-schema.ts');
    const schemas = /SCHEMAS = \{ persistence: '([^']+)', visibility: '([^']+)' \}/.exec(source);
    assert.ok(schemas, 'the schema names in dev/temporal-server-schema.ts');
    assert.match(source, /\['setup-schema', '-v', '0\.0'\]/);
    assert.match(source, /\['update-schema', '--schema-name', SCHEMAS\[kind\]\]/);

    const setups = services.filter(([, s]) => /temporal-sql-tool/.test(script(s)));
    assert.equal(setups.length, 1, 'one service sets the schemas up');
    const [name, setup] = setups[0]!;
    const text = script(setup);
    assert.match(text, /temporal-sql-tool --db "\$\$1" create-database/);
    assert.match(text, /temporal-sql-tool --db "\$\$1" setup-schema -v 0\.0/);
    assert.match(text, /temporal-sql-tool --db "\$\$1" update-schema --schema-name "\$\$2"/);
    assert.ok(text.includes(`"$$HERALD_TEMPORAL_DB_NAME ${schemas[1]}"`), `${name}: persistence schema ${schemas[1]}`);
    assert.ok(text.includes(`"$$HERALD_TEMPORAL_VISIBILITY_DB_NAME ${schemas[2]}"`), `${name}: visibility schema ${schemas[2]}`);
    assert.equal(setup.environment?.SQL_PLUGIN, 'postgres12');

    const [serverName, server] = services.find(([, s]) => /\btemporal-server\b/.test(script(s)))!;
    for (const key of ['HERALD_TEMPORAL_DB_NAME', 'HERALD_TEMPORAL_VISIBILITY_DB_NAME']) {
      assert.equal(setup.environment?.[key], server.environment?.[key], `${name} and ${serverName} agree on ${key}`);
    }
    assert.equal(setup.environment?.SQL_HOST, server.environment?.HERALD_TEMPORAL_DB_HOST);
    assert.equal(server.depends_on?.[name]?.condition, 'service_completed_successfully', `${serverName} starts after ${name}`);
  });

  it('starts Herald only once the namespace is served, and points it at the server', () => {
    for (const name of ['herald-api', 'herald-worker']) {
      const service = compose.services[name];
      assert.ok(service, name);
      assert.equal(service.environment?.TEMPORAL_ADDRESS, 'temporal:7233');
      const after = Object.entries(service.depends_on ?? {});
      assert.ok(after.some(([dep, { condition }]) => /temporal operator namespace create/.test(script(compose.services[dep]!)) && condition === 'service_completed_successfully'), `${name} waits for the namespace`);
    }
  });
});
