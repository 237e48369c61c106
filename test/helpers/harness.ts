import { after, before } from 'node:test';
import { startReceiver, type Receiver } from './receiver';
import { startStack, type Stack, type StackOptions } from './stack';

/**
 * One Herald stack for the enclosing describe, started before its tests and stopped after them,
 * with every receiver made through `receiver()` closed too. `env` may be worked out first (a port
 * picked, a server started) by passing a function.
 */
export function useStack(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}, opts: StackOptions = {}) {
  let current: Stack | undefined;
  const receivers: Receiver[] = [];
  before(async () => {
    current = await startStack(typeof env === 'function' ? await env() : env, opts);
  });
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await current?.stop();
  });
  return {
    get stack(): Stack {
      if (!current) throw new Error('the stack starts in a before() hook');
      return current;
    },
    async receiver(...script: Parameters<typeof startReceiver>): Promise<Receiver> {
      const r = await startReceiver(...script);
      receivers.push(r);
      return r;
    },
  };
}
