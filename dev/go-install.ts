// `go install pkg@version` into a folder of our choosing, for the Temporal programs Herald runs in
// development and tests (server, schema tool, Web UI). Builds go to per-user cache folders, never
// into the repository.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

export const EXE = process.platform === 'win32' ? '.exe' : '';

/** `go` on PATH, else the usual tarball location; undefined when Go is not installed. */
export async function findGo(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, `go${EXE}`)))) return path.join(dir, `go${EXE}`);
  }
  return (await isExecutable('/usr/local/go/bin/go')) ? '/usr/local/go/bin/go' : undefined;
}

/**
 * Runs `go install <packages>` (each `path@version`) with GOBIN = `gobin`. Several packages in one
 * call must come from the same module version; Go then builds their shared dependencies once.
 * `go install pkg@version` refuses modules whose go.mod has `replace` directives, which is why the
 * pinned versions are chosen to have none.
 */
export function goInstall(go: string, packages: string[], gobin: string, log: (msg: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(go, ['install', ...packages], {
      // CGO off: static binaries that need no C toolchain on the machine.
      env: { ...process.env, CGO_ENABLED: '0', GOBIN: gobin },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Go reports its progress ("go: downloading ...") and its errors on stderr.
    let tail = '';
    const forward = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line.trimEnd());
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${go} install ${packages.join(' ')} exited with ${signal ?? `code ${code}`}:\n${tail}`));
    });
  });
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
