// `pnpm start`: installs and builds what is missing, then starts the server
// (embedded PostGIS unless DATABASE_URL is set) at http://localhost:8080.
import { spawnSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (!fs.existsSync(path.join(root, 'node_modules', '.modules.yaml'))) {
  console.log('Installing dependencies (first start)…')
  run('pnpm', ['install', '--frozen-lockfile'])
}

function newestMtime(dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

const clientIndex = path.join(root, 'client', 'dist', 'index.html')
const clientSources = [path.join(root, 'client', 'src'), path.join(root, 'shared', 'src')].filter((dir) => fs.existsSync(dir))
const builtAt = fs.existsSync(clientIndex) ? fs.statSync(clientIndex).mtimeMs : 0
if (builtAt < Math.max(0, ...clientSources.map(newestMtime))) {
  console.log(builtAt ? 'Client sources changed: rebuilding the client…' : 'Building the client (first start)…')
  run('pnpm', ['--filter', '@riskatlas/client', 'build'])
}

const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'src', 'main.ts')], { cwd: root, stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code) => process.exit(code ?? 0))
