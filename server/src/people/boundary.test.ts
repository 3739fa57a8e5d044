import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/**
 * Personal data is read in one place: the people capability's repository, which takes the
 * caller's scope and writes the audit row. This reads the server's source and refuses the
 * table `vulnerable_people` and the contacts' phone columns anywhere else — so a new query
 * cannot read them past the audit by accident.
 */
const serverSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Where the names may appear: the capability itself, the schema, frozen migrations, the demo seed (writes only). */
const allowed = [/^people\//, /^db\/schema\.ts$/, /^db\/migrations\//, /^seed\//]
const personalIdentifiers =
  /\bvulnerable_people\b|\b(?:monitor|responsible|admin_responsible|tech_responsible|patrol_responsible|contact)_phone\b/g

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : []
  })
}

/** `file:line identifier` for every personal-data identifier outside the allowed places. */
export function personalDataReads(root: string): string[] {
  return sourceFiles(root).flatMap((file) => {
    const relative = path.relative(root, file).split(path.sep).join('/')
    if (allowed.some((pattern) => pattern.test(relative))) return []
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) => [...line.matchAll(personalIdentifiers)].map((match) => `${relative}:${index + 1} ${match[0]}`))
  })
}

describe('personal data has one way in', () => {
  it('names vulnerable_people and contacts’ phone columns only in people/ (and schema, migrations, seed)', () => {
    expect(personalDataReads(serverSrc)).toEqual([])
  })

  it('would catch a query elsewhere that reads them', () => {
    const scratch = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'boundary-'))
    try {
      fs.mkdirSync(path.join(scratch, 'coverage'))
      fs.writeFileSync(
        path.join(scratch, 'coverage', 'queries.ts'),
        "const q = sql`SELECT name FROM vulnerable_people`\nconst m = 'h.monitor_phone'\n",
      )
      fs.mkdirSync(path.join(scratch, 'people'))
      fs.writeFileSync(path.join(scratch, 'people', 'queries.ts'), 'const q = sql`SELECT name FROM vulnerable_people`\n')
      expect(personalDataReads(scratch)).toEqual(['coverage/queries.ts:1 vulnerable_people', 'coverage/queries.ts:2 monitor_phone'])
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true })
    }
  })
})
