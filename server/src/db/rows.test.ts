import { describe, expect, expectTypeOf, it } from 'vitest'
import { camelize } from './rows.ts'

describe('camelize', () => {
  it('renames snake_case keys to camelCase and keeps the values', () => {
    const row = { id: 1, admin_code: '530502199001', threatened_property_10k_yuan: 3.5, lon: 99.1 }
    const camel = camelize(row)
    expect(camel).toEqual({ id: 1, adminCode: '530502199001', threatenedProperty10kYuan: 3.5, lon: 99.1 })
    expectTypeOf(camel).toEqualTypeOf<{ id: number; adminCode: string; threatenedProperty10kYuan: number; lon: number }>()
  })
})
