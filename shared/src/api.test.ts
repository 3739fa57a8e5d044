import { describe, expect, it } from 'vitest'
import { bboxSchema, layerQuerySchema } from './api.ts'

describe('bboxSchema', () => {
  it('parses minLon,minLat,maxLon,maxLat into four numbers', () => {
    expect(bboxSchema.parse('99.0,25.0,99.2,25.2')).toEqual([99, 25, 99.2, 25.2])
  })

  it.each([
    ['99,25,99.2', 'four numbers'],
    ['99,25,99.2,25.2,1', 'four numbers'],
    ['99,,99.2,25.2', 'four numbers'],
    ['a,b,c,d', 'four numbers'],
    ['99.2,25,99,25.2', 'inverted'],
    ['99,25,99,25.2', 'inverted'],
    ['-181,25,99,25.2', 'out of range'],
    ['99,25,99.2,91', 'out of range'],
  ])('rejects %s (%s)', (text, reason) => {
    const result = bboxSchema.safeParse(text)
    expect(result.success).toBe(false)
    expect(result.error!.issues[0]!.message).toContain(reason)
  })
})

describe('layerQuerySchema', () => {
  it('coerces limit and rejects unknown parameters', () => {
    expect(layerQuerySchema.parse({ limit: '25' })).toEqual({ limit: 25 })
    expect(layerQuerySchema.safeParse({ limit: '25', colour: 'red' }).success).toBe(false)
    expect(layerQuerySchema.safeParse({ limit: '10001' }).success).toBe(false)
  })
})
