// Finds or builds the real Temporal server (not the dev server), its SQL schema tool and the
// Temporal Web UI server, for `npm run cluster` and the tests that run Herald against Temporal on
// PostgreSQL. Each is built once with Go into a per-user, per-version cache folder (as
// dev/temporal-cli.ts does for the CLI), never into the repository.
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXE, findGo, goInstall, isExecutable } from './go-install';

/**
 * The server inside the Temporal CLI v1.5.1 that `npm start` and the tests use, and the version of
 * temporalio/auto-setup in docker-compose.yml; its go.mod has no `replace`, so `go install` takes it.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The Web UI embedded in the Temporal CLI v1.5.1, and temporalio/ui in docker-compose.yml. */
export const TEMPORAL_UI_SERVER_VERSION = 'v2.42.1';

const SERVER_PACKAGE = 'go.temporal.io/server/cmd/server';
const SQL_TOOL_PACKAGE = 'go.temporal.io/server/cmd/tools/sql';
const UI_SERVER_PACKAGE = 'github.com/temporalio/ui-server/v2/cmd/server';

// `go install` names a binary after its package folder ("server", "sql"); the cache uses the names
// Temporal's own release archives use.
const SERVER_EXE = `temporal-server${EXE}`;
const SQL_TOOL_EXE = `temporal-sql-tool${EXE}`;
const UI_SERVER_EXE = `temporal-ui-server${EXE}`;

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
  /** Undefined when not wanted or when it could not be built (the UI is a convenience, not a need). */
  uiServer: string | undefined;
}

export interface FindOptions {
  /** Build with Go when no cached build exists (default true). */
  build?: boolean;
  /** Also find or build the Web UI server (default true). */
  ui?: boolean;
  log?: (msg: string) => void;
}

export async function findTemporalServerBinaries(opts: FindOptions = {}): Promise<TemporalServerBinaries> {
  const log = opts.log ?? (() => undefined);
  const build = opts.build !== false;

  const serverDir = cacheDir('temporal-server', TEMPORAL_SERVER_VERSION);
  const server = path.join(serverDir, SERVER_EXE);
  const sqlTool = path.join(serverDir, SQL_TOOL_EXE);
  if (!(await isExecutable(server)) || !(await isExecutable(sqlTool))) {
    const targets = [
      { pkg: SERVER_PACKAGE, built: 'server', as: SERVER_EXE },
      { pkg: SQL_TOOL_PACKAGE, built: 'sql', as: SQL_TOOL_EXE },
    ];
    const problem = build ? await buildInto(serverDir, targets, TEMPORAL_SERVER_VERSION, log) : 'building was not allowed';
    if (problem !== undefined) {
      throw new Error(
        [
          `Temporal server ${TEMPORAL_SERVER_VERSION} not found in ${serverDir} and not built (${problem}).`,
          'Build it with Go (a couple of minutes on 2 cores, done once):',
          `  GOBIN=${serverDir} CGO_ENABLED=0 go install ${SERVER_PACKAGE}@${TEMPORAL_SERVER_VERSION} ${SQL_TOOL_PACKAGE}@${TEMPORAL_SERVER_VERSION}`,
          `  mv ${path.join(serverDir, 'server')} ${server} && mv ${path.join(serverDir, 'sql')} ${sqlTool}`,
        ].join('\n'),
      );
    }
  }

  let uiServer: string | undefined;
  if (opts.ui !== false) {
    const uiDir = cacheDir('temporal-ui-server', TEMPORAL_UI_SERVER_VERSION);
    const candidate = path.join(uiDir, UI_SERVER_EXE);
    if (await isExecutable(candidate)) uiServer = candidate;
    else if (build) {
      const problem = await buildInto(uiDir, [{ pkg: UI_SERVER_PACKAGE, built: 'server', as: UI_SERVER_EXE }], TEMPORAL_UI_SERVER_VERSION, log);
      if (problem === undefined) uiServer = candidate;
      else log(`Temporal Web UI server ${TEMPORAL_UI_SERVER_VERSION} not available, running without a UI: ${problem}`);
    }
  }
  return { server, sqlTool, uiServer };
}

/** Versioned so a version bump triggers a fresh build instead of reusing an old binary. */
function cacheDir(name: string, version: string): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'herald', name, version);
}

/**
 * Builds into a private staging folder, then renames each binary into `dir`: a rename is atomic,
 * so two processes building at once (parallel test files) never see a half-written binary.
 * Returns undefined on success, else what went wrong.
 */
async function buildInto(
  dir: string,
  targets: { pkg: string; built: string; as: string }[],
  version: string,
  log: (msg: string) => void,
): Promise<string | undefined> {
  const go = await findGo();
  if (!go) return 'Go is not installed (looked on PATH and in /usr/local/go/bin)';
  await mkdir(dir, { recursive: true });
  const staging = await mkdtemp(path.join(dir, '.build-'));
  const started = Date.now();
  try {
    log(`building ${targets.map((t) => t.pkg).join(', ')} ${version} with ${go} (a few minutes the first time)`);
    await goInstall(go, targets.map((t) => `${t.pkg}@${version}`), staging, log);
    for (const target of targets) await rename(path.join(staging, `${target.built}${EXE}`), path.join(dir, target.as));
    log(`built ${targets.map((t) => t.as).join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s into ${dir}`);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
