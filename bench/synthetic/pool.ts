import { Worker } from 'node:worker_threads';
import type { Batch, Chunk, ChunkTotals, GeneratorSpec } from './generate';
import { createChunkGenerator } from './generate';

type FromWorker = { type: 'ready' } | { type: 'batch'; chunk: number; batch: Batch } | { type: 'done'; chunk: number; totals: ChunkTotals };

/**
 * Generates the chunks on `workers` threads (none: on this one) and hands their batches to `write` in chunk
 * order, so the tables fill in creation order as a live system's would (the planner reads that correlation).
 */
export async function generateChunks({
  spec,
  chunks,
  workers,
  write,
}: {
  spec: GeneratorSpec;
  chunks: Chunk[];
  workers: number;
  write: (batch: Batch) => Promise<void>;
}): Promise<ChunkTotals[]> {
  const totals: ChunkTotals[] = [];
  if (workers === 0) {
    const generate = createChunkGenerator(spec);
    for (const chunk of chunks) {
      const batches: Batch[] = [];
      totals.push(generate(chunk, (b) => batches.push(b)));
      for (const b of batches) await write(b);
    }
    return totals;
  }

  const queues = new Map<number, Batch[]>();
  const finished = new Set<number>();
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  let failure: unknown = null;
  const pending = [...chunks];
  const threads: Worker[] = [];
  const url = new URL('./chunk-worker.ts', import.meta.url).href;
  // tsx registers itself in the worker before loading the TypeScript entry.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`;
  for (let i = 0; i < Math.min(workers, chunks.length); i++) {
    const worker = new Worker(bootstrap, { eval: true, workerData: spec });
    threads.push(worker);
    const next = () => {
      const chunk = pending.shift();
      if (chunk) worker.postMessage({ chunk });
      else worker.postMessage({ stop: true });
    };
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') next();
      else if (m.type === 'batch') {
        const q = queues.get(m.chunk) ?? [];
        q.push(m.batch);
        queues.set(m.chunk, q);
        signal();
      } else {
        totals.push(m.totals);
        finished.add(m.chunk);
        next();
        signal();
      }
    });
    worker.on('error', (error) => {
      failure ??= error;
      signal();
    });
  }
  try {
    for (const chunk of chunks) {
      for (;;) {
        if (failure) throw failure;
        const q = queues.get(chunk.index);
        const batch = q?.shift();
        if (batch) await write(batch);
        else if (finished.has(chunk.index)) break;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
      queues.delete(chunk.index);
    }
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return totals;
}
