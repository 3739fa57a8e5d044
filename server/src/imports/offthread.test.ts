import { describe, expect, it } from 'vitest'
import { importTargets } from '@riskatlas/shared'
import { parseOffThread, workerThresholdBytes } from './offthread.ts'

describe('parseOffThread', () => {
  it('parses a big CSV in a worker thread with the same result as inline', async () => {
    const header = '编号,名称,类型,经度,纬度\n'
    const line = (i: number) => `HZ-W-${i},点${i},滑坡,99.1,25.1\n`
    let text = header
    for (let i = 0; text.length < workerThresholdBytes * 1.5; i++) text += line(i)
    const parsed = await parseOffThread('big.csv', new TextEncoder().encode(text), { fields: importTargets.hazard_points.fields })
    const sheet = parsed.sheets[0]!
    expect(sheet.columns).toEqual(['编号', '名称', '类型', '经度', '纬度'])
    expect(sheet.records.length).toBe(text.split('\n').length - 2)
    expect(sheet.records[3]).toEqual({ row: 5, values: { 编号: 'HZ-W-3', 名称: '点3', 类型: '滑坡', 经度: '99.1', 纬度: '25.1' } })
  })
  it('reports an unreadable big file as such from the worker', async () => {
    const bytes = new Uint8Array(workerThresholdBytes + 10).fill(0x41)
    await expect(parseOffThread('big.geojson', bytes, { fields: importTargets.hazard_points.fields })).rejects.toMatchObject({
      name: 'UnreadableFile',
      code: 'unreadable',
    })
  })
})
