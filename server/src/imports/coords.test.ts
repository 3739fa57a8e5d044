import { describe, expect, it } from 'vitest'
import { kilometresOutside, looksSwapped, parseCoordinate, toWgs84 } from './coords.ts'

const town = { west: 99.0, south: 25.03, east: 99.2, north: 25.17 }
const close = (value: number | undefined, expected: number) => expect(value).toBeCloseTo(expected, 6)

describe('parseCoordinate', () => {
  it('reads decimal degrees, signed, with a degree mark', () => {
    close(parseCoordinate('99.1701')?.value, 99.1701)
    close(parseCoordinate('-25.5')?.value, -25.5)
    close(parseCoordinate('99.1701°')?.value, 99.1701)
    close(parseCoordinate(25.0917)?.value, 25.0917)
  })
  it('reads degrees minutes seconds in the forms people type', () => {
    const expected = 99 + 10 / 60 + 12.5 / 3600
    close(parseCoordinate('99°10′12.5″E')?.value, expected)
    close(parseCoordinate('99°10\'12.5"')?.value, expected)
    close(parseCoordinate('99度10分12.5秒')?.value, expected)
    close(parseCoordinate('99 10 12.5')?.value, expected)
    close(parseCoordinate('东经99°10′12.5″')?.value, expected)
    close(parseCoordinate('99°10.5′')?.value, 99 + 10.5 / 60)
  })
  it('reads full-width digits and punctuation', () => {
    close(parseCoordinate('９９°１０′１２．５″')?.value, 99 + 10 / 60 + 12.5 / 3600)
    close(parseCoordinate('２５．０９１７')?.value, 25.0917)
  })
  it('takes the hemisphere: W and S are negative, and the axis is reported', () => {
    expect(parseCoordinate('25°30′S')).toEqual({ value: -25.5, axis: 'lat' })
    expect(parseCoordinate('W99.5')).toEqual({ value: -99.5, axis: 'lon' })
    expect(parseCoordinate('北纬25.5')).toEqual({ value: 25.5, axis: 'lat' })
  })
  it('refuses what is not a coordinate', () => {
    for (const bad of ['', 'abc', '99°75′', '99°10′75″', '99.5.3', '99 10 12 5', '12e5', '99.5°10′', null, Number.NaN])
      expect(parseCoordinate(bad), String(bad)).toBeUndefined()
  })
})

describe('town checks', () => {
  it('measures how far outside the town a point is', () => {
    expect(kilometresOutside(99.1, 25.1, town)).toBe(0)
    expect(kilometresOutside(103.5, 25.1, town)).toBeGreaterThan(400)
  })
  it('detects swapped longitude and latitude columns', () => {
    expect(
      looksSwapped(
        [
          [25.07, 99.12],
          [25.11, 99.05],
        ],
        town,
      ),
    ).toBe(true)
    expect(
      looksSwapped(
        [
          [99.12, 25.07],
          [99.05, 25.11],
        ],
        town,
      ),
    ).toBe(false)
  })
})

describe('toWgs84', () => {
  it('undoes the GCJ-02 and BD-09 offsets (hundreds of metres) to within a metre', () => {
    // Reference pair from the demo town: WGS84 99.1201, 25.0701.
    const [gx, gy] = toWgs84(99.121051, 25.0673, 'gcj02')
    expect(Math.abs(gx - 99.1201) + Math.abs(gy - 25.0701)).toBeLessThan(0.00001)
    expect(toWgs84(99.1, 25.1, 'cgcs2000')).toEqual([99.1, 25.1])
  })
})
