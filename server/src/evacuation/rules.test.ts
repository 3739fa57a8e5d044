import { describe, expect, it } from 'vitest'
import { effectiveCapacity, shelterProblems, walkingMinutes } from './rules.ts'

describe('shelter capacity and usability', () => {
  it('takes the smaller of the declared persons and the area at 2 m² a person', () => {
    expect(effectiveCapacity(480, 1370, 2)).toBe(480)
    expect(effectiveCapacity(750, 1000, 2)).toBe(500)
    expect(effectiveCapacity(750, 1001, 2)).toBe(500)
    expect(effectiveCapacity(750, 1000, 4)).toBe(250)
  })

  it('uses whichever is recorded, and none when neither is', () => {
    expect(effectiveCapacity(null, 300, 2)).toBe(150)
    expect(effectiveCapacity(120, null, 2)).toBe(120)
    expect(effectiveCapacity(null, null, 2)).toBe(0)
  })

  it('is unusable when closed, in a danger zone, in the warned area or without capacity', () => {
    expect(shelterProblems({ open: true, dangerZones: [], inWarnedArea: false, capacity: 10 })).toEqual([])
    expect(shelterProblems({ open: false, dangerZones: ['HZ-1'], inWarnedArea: true, capacity: 0 }).map((p) => p.code)).toEqual([
      'shelter_closed',
      'shelter_in_danger_zone',
      'shelter_in_warned_area',
      'shelter_no_capacity',
    ])
  })

  it('walks 4 km in an hour', () => {
    expect(walkingMinutes(4000, 4)).toBe(60)
    expect(walkingMinutes(1391.9, 4)).toBe(20.9)
  })
})
