// Run by test/unit/heap-growth.test.ts in a process of its own (V8 flags are process-wide): keeps
// about 40 MB alive, churns garbage that lives long enough to reach the old generation, and prints
// the largest heap V8 committed meanwhile, in MB.
import { limitHeapGrowth } from '../../worker/heap-growth';

limitHeapGrowth();
const kept: object[] = [];
for (let i = 0; i < 300_000; i++) kept.push({ i, label: `kept ${i}`, pair: [i, i] });
const recent: object[][] = new Array(64).fill([]);
let largest = 0;
for (let round = 0; round < 1200; round++) {
  const batch: object[] = [];
  for (let i = 0; i < 5000; i++) batch.push({ i, label: `churn ${i}`, row: new Array(8).fill(i) });
  recent[round % recent.length] = batch;
  largest = Math.max(largest, process.memoryUsage().heapTotal);
}
console.log(JSON.stringify({ largestHeapMb: Math.round(largest / 1048576), kept: kept.length }));
