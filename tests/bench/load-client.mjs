// The load bench's client, in a worker thread so that its requests cost the client's own core:
// `connections` keep-alive connections, each sending GET `url` again as soon as the last answer
// has been read whole, for `durationMs` after `warmupMs`. Bodies are read, not decompressed or
// parsed (the browser's cost). Answers other than 200, and connection errors, are errors.
import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'

const { url, connections, durationMs, warmupMs, headers } = workerData
const agent = new http.Agent({ keepAlive: true, maxSockets: connections })

function get() {
  return new Promise((resolve) => {
    const request = http.get(url, { agent, headers }, (response) => {
      response.on('data', () => {})
      response.on('end', () => resolve(response.statusCode === 200 ? true : String(response.statusCode)))
      response.on('error', (error) => resolve(error.code ?? error.message))
    })
    request.on('error', (error) => resolve(error.code ?? error.message))
  })
}

const samples = []
/** Errors by kind: the status code, or the connection error's code. */
const errors = {}
let measuring = false
const started = performance.now()
const stopAt = started + warmupMs + durationMs
setTimeout(() => (measuring = true), warmupMs)

async function connection() {
  while (performance.now() < stopAt) {
    const begun = performance.now()
    const outcome = await get()
    if (!measuring) continue
    if (outcome === true) samples.push(performance.now() - begun)
    else errors[outcome] = (errors[outcome] ?? 0) + 1
  }
}

await Promise.all(Array.from({ length: connections }, connection))
agent.destroy()
parentPort.postMessage({ samples, errors, seconds: durationMs / 1000 })
