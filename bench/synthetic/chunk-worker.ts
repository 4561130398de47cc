/** A generator thread: receives chunks of days, posts their COPY text in batches and the chunk's totals. */
import { parentPort, workerData } from 'node:worker_threads';
import { type Chunk, type GeneratorSpec, createChunkGenerator } from './generate';

const port = parentPort!;
const generate = createChunkGenerator(workerData as GeneratorSpec);
port.on('message', (message: { chunk: Chunk } | { stop: true }) => {
  if ('stop' in message) {
    port.close();
    return;
  }
  const { chunk } = message;
  const totals = generate(chunk, (batch) => port.postMessage({ type: 'batch', chunk: chunk.index, batch }));
  port.postMessage({ type: 'done', chunk: chunk.index, totals });
});
port.postMessage({ type: 'ready' });
