// Locates the Temporal CLI (it contains the dev server and its Web UI) in the order README
// "Quick start" gives, building it with Go as a last resort before the SDK's own download. The
// binary is never kept in the repository: builds go to a per-user cache folder.
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXE, findGo, goInstall, isExecutable } from './go-install';

export const TEMPORAL_CLI_VERSION = 'v1.5.1';

const GO_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
const INSTALL_COMMAND = `CGO_ENABLED=0 go install ${GO_PACKAGE}@${TEMPORAL_CLI_VERSION}`;

export async function findTemporalCli(opts: { build?: boolean; log?: (msg: string) => void } = {}): Promise<string> {
  const log = opts.log ?? (() => undefined);

  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    // An explicit choice that does not work is an error, not a reason to pick another binary.
    if (await isExecutable(fromEnv)) return fromEnv;
    throw new Error(`TEMPORAL_CLI is set to ${fromEnv}, which is not an executable file`);
  }

  const onPath = await findOnPath(`temporal${EXE}`);
  if (onPath) return onPath;

  const cacheDir = cliCacheDir();
  const cached = path.join(cacheDir, `temporal${EXE}`);
  if (await isExecutable(cached)) return cached;

  const problems: string[] = [];
  if (opts.build !== false) {
    const go = await findGo();
    if (go) {
      try {
        log(`building Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} into ${cacheDir} (several minutes the first time)`);
        await goInstall(go, [`${GO_PACKAGE}@${TEMPORAL_CLI_VERSION}`], cacheDir, log);
        if (await isExecutable(cached)) return cached;
        problems.push(`go install finished but ${cached} is missing`);
      } catch (err) {
        problems.push((err as Error).message);
      }
    } else {
      problems.push('Go is not installed (looked on PATH and in /usr/local/go/bin)');
    }
  }

  const sdkDownload = await findSdkDownload();
  if (sdkDownload) return sdkDownload;

  throw new Error(
    [
      'Temporal CLI not found. Install it in one of these ways:',
      `  - with Go: ${INSTALL_COMMAND}  (then put it on PATH or set TEMPORAL_CLI)`,
      `  - or: npm run temporal:install  (same build, cached in ${cacheDir})`,
      '  - or download a release from https://github.com/temporalio/cli/releases and set TEMPORAL_CLI=/path/to/temporal',
      ...problems.map((problem) => `Tried building: ${problem}`),
    ].join('\n'),
  );
}

/** Versioned so a version bump triggers a fresh build instead of reusing an old binary. */
function cliCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'herald', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

/**
 * @temporalio/testing's ephemeral server downloads the CLI to
 * `${os.tmpdir()}/temporal-sdk-typescript-<sdk version>` (see get_or_download in
 * @temporalio/core-bridge's sdk-core ephemeral_server). Take the newest such file, whatever the
 * SDK version that fetched it.
 */
async function findSdkDownload(): Promise<string | undefined> {
  const dir = os.tmpdir();
  const pattern = new RegExp(`^temporal-sdk-typescript-[0-9][0-9A-Za-z.+-]*${EXE.replace('.', '\\.')}$`);
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const name of await readdir(dir).catch(() => [])) {
    if (!pattern.test(name)) continue;
    const file = path.join(dir, name);
    if (!(await isExecutable(file))) continue;
    const { mtimeMs } = await stat(file);
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest?.file;
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

