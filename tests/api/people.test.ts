import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enumLabels, vulnerableCategories, vulnerablePeopleListSchema } from '@riskatlas/shared'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const marker = '人员接口测试'

/** Splits our CSV (every cell quoted, CRLF) into rows of cells. */
function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => match[1]!.replace(/""/g, '"')))
}

describe.each(testHomes())('vulnerable people on the $name home', (home) => {
  let ctx: HomeContext
  let admin: Session

  beforeAll(async () => {
    ctx = openHome(home)
    admin = await signIn(ctx.app, 'admin')
  })
  afterAll(async () => {
    await ctx.db.deleteFrom('vulnerable_people').where('name', '=', marker).execute()
    await ctx.close()
  })

  it('exports CSV with the administrative village and Chinese category labels, one row per listed person', async () => {
    const { people } = vulnerablePeopleListSchema.parse(await (await admin.request('/api/vulnerable-people')).json())
    const response = await admin.request('/api/vulnerable-people/export.csv')
    expect(response.headers.get('content-type')).toContain('text/csv')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]) // the BOM Excel needs to read UTF-8
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes))
    expect(header).toEqual(['行政村', '自然村', '类别', '姓名', '电话', '住址', '行动需求', '包保责任人', '责任人电话'])
    expect(rows).toHaveLength(people.length)
    const zhLabels = vulnerableCategories.map((category) => enumLabels[category]!.zh)
    expect(new Set(rows.map((row) => row[2]))).toEqual(new Set(people.map((person) => enumLabels[person.category]!.zh)))
    expect(rows.every((row) => zhLabels.includes(row[2]!))).toBe(true)
    expect(rows.some((row) => (vulnerableCategories as readonly string[]).includes(row[2]!))).toBe(false)
    expect(rows.map((row) => [row[0], row[1], row[3]])).toEqual(
      people.map((person) => [person.adminName, person.naturalVillageName, person.name]),
    )
  })

  it('answers every personal-data request with Cache-Control: no-store', async () => {
    const village = await ctx.db.selectFrom('natural_villages').select(['id', 'admin_code']).orderBy('id').executeTakeFirstOrThrow()
    const created = await admin.request('/api/vulnerable-people', {
      method: 'POST',
      body: { naturalVillageId: village.id, category: 'sick', name: marker, phone: '13900001111' },
    })
    expect(created.status).toBe(201)
    const { id } = (await created.clone().json()) as { id: number }
    const answers = [
      created,
      await admin.request('/api/vulnerable-people'),
      await admin.request(`/api/vulnerable-people/${id}`),
      await admin.request('/api/vulnerable-people/export.csv'),
      await admin.request(`/api/vulnerable-people/${id}`, { method: 'PATCH', body: { mobilityNeeds: '卧床' } }),
      await admin.request(`/api/villages/${village.id}/evacuation-card`),
      await admin.request(`/api/admin-villages/${village.admin_code}/evacuation-cards`),
      await admin.request('/api/vulnerable-people/999999999'),
    ]
    expect(answers.map((response) => response.status)).toEqual([201, 200, 200, 200, 200, 200, 200, 404])
    expect(answers.map((response) => response.headers.get('cache-control'))).toEqual(answers.map(() => 'no-store'))
  })
})
