// The benchmark's HTTP client, run in a worker thread so that reading a response costs the
// client's own core, as it would on a real client machine, not the server's event loop.
import { parentPort, workerData } from 'node:worker_threads'

const { url, runs, warmup } = workerData
for (let i = 0; i < warmup; i++) await (await fetch(url)).arrayBuffer()
const samples = []
for (let i = 0; i < runs; i++) {
  const started = performance.now()
  await (await fetch(url)).arrayBuffer()
  samples.push(performance.now() - started)
}
parentPort.postMessage(samples)
