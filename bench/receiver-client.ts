// The parent's side of the receiver process: start it, steer it, and keep what it received.
import { spawnNode, type Child } from './children';
import type { ReceiverCommand, ReceiverMessage } from './receiver';

export interface Receiver {
  child: Child;
  /** Base URL; /hook always answers 200, /backlog follows setDownUntil. */
  url: string;
  /** First 2xx receipt time (epoch ms, sub-millisecond) per delivery id. */
  okAt: Map<string, number>;
  /** First receipt of any status per delivery id. */
  firstSeenAt: Map<string, number>;
  requests: { total: number; ok: number; down: number };
  /** /backlog answers 503 with Retry-After until `at` (epoch ms); null: always 200. */
  setDownUntil(at: number | null): void;
  stop(): Promise<void>;
}

export async function startReceiver(log: (line: string) => void): Promise<Receiver> {
  const child = spawnNode({ name: 'receiver', script: 'bench/receiver.ts', env: {}, ipc: true, log });
  const okAt = new Map<string, number>();
  const firstSeenAt = new Map<string, number>();
  const requests = { total: 0, ok: 0, down: 0 };
  const port = await new Promise<number>((resolve, reject) => {
    child.process.on('message', (msg: ReceiverMessage) => {
      if (msg.type === 'ready') resolve(msg.port);
      if (msg.type !== 'receipts') return;
      for (let i = 0; i < msg.ids.length; i++) {
        const id = msg.ids[i]!;
        const at = msg.at[i]!;
        requests.total++;
        if (!firstSeenAt.has(id)) firstSeenAt.set(id, at);
        if (msg.status[i] === 200) {
          requests.ok++;
          if (!okAt.has(id)) okAt.set(id, at);
        } else requests.down++;
      }
    });
    void child.exited.then((reason) => reject(new Error(`receiver exited (${reason}): ${child.outputTail()}`)));
  });
  const send = (cmd: ReceiverCommand) => child.process.connected && child.process.send(cmd);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    okAt,
    firstSeenAt,
    requests,
    setDownUntil: (at) => send({ type: 'downUntil', at }),
    async stop() {
      send({ type: 'stop' });
      await child.stop(5_000);
    },
  };
}
