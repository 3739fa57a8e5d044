// The benchmark's HTTP client, run in a worker thread so that reading a response costs the
// client's own core, as it would on a real client machine, not the server's event loop.
// `headers` (optional) are sent with every request, e.g. `accept-encoding: identity`.
import { parentPort, workerData } from 'node:worker_threads'

const { url, runs, warmup, headers } = workerData
for (let i = 0; i < warmup; i++) await (await fetch(url, { headers })).arrayBuffer()
const samples = []
for (let i = 0; i < runs; i++) {
  const started = performance.now()
  await (await fetch(url, { headers })).arrayBuffer()
  samples.push(performance.now() - started)
}
parentPort.postMessage(samples)
