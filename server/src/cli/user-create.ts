import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { userCreateSchema } from '@riskatlas/shared'
import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { createUser } from '../users/queries.ts'

const usage = `pnpm user:create --username NAME --role admin|editor|viewer [--name 显示名] [--village CODE ...]
The password is read from standard input (or RISKATLAS_PASSWORD), never from the command line.`

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    name: { type: 'string' },
    village: { type: 'string', multiple: true },
    help: { type: 'boolean' },
  },
})
if (values.help || !values.username) {
  console.log(usage)
  process.exit(values.help ? 0 : 2)
}

async function readPassword(): Promise<string> {
  if (process.env.RISKATLAS_PASSWORD) return process.env.RISKATLAS_PASSWORD
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY })
  const password = await rl.question('Password (at least 10 characters): ')
  rl.close()
  return password
}

const parsed = userCreateSchema.safeParse({
  username: values.username,
  displayName: values.name ?? values.username,
  role: values.role,
  villageScope: values.village ?? null,
  password: await readPassword(),
})
if (!parsed.success) {
  console.error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n'))
  process.exit(2)
}

const config = loadConfig()
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: console.log })
try {
  await migrateToLatest(database.db)
  const user = await createUser(database.db, parsed.data)
  console.log(`Created ${user.role} ${user.username} (id ${user.id}).`)
} catch (error) {
  console.error(`Could not create the account: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await database.close()
}
