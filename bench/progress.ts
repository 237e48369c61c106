/** Prints `line()` every few seconds until the returned function is called. */
export function progress(line: () => string, everyMs = 2000): () => void {
  const timer = setInterval(() => console.error(`  ... ${line()}`), everyMs);
  return () => clearInterval(timer);
}

export const say = (msg: string) => console.error(`[bench] ${msg}`);
