import { describe, expect, it } from 'vitest'
import { overlaidBarsOption, ringOption, stackedBarsOption } from './chartOptions.ts'

const rows = [
  { label: '滑坡', values: [1, 7, 3, 1] },
  { label: '崩塌', values: [0, 2, 2, 0] },
]
const levels = [1, 2, 3, 4].map((n) => ({ name: `${n}级`, colour: `#00000${n}` }))

describe('the command screen’s charts', () => {
  it('stacks one series per part, one bar per row, every row labelled', () => {
    const option = stackedBarsOption(1, rows, levels) as { series: { stack: string; data: number[] }[]; yAxis: { data: string[] } }
    expect(option.yAxis.data).toEqual(['滑坡', '崩塌'])
    expect(option.series.map((s) => s.data)).toEqual([
      [1, 0],
      [7, 2],
      [3, 2],
      [1, 0],
    ])
    expect(new Set(option.series.map((s) => s.stack)).size).toBe(1)
  })

  it('draws every size in wall units: twice as large on a 3840×2160 wall', () => {
    const at = (u: number) =>
      stackedBarsOption(u, rows, levels) as { yAxis: { axisLabel: { fontSize: number } }; series: { barMaxWidth: number }[] }
    expect(at(2).yAxis.axisLabel.fontSize).toBe(2 * at(1).yAxis.axisLabel.fontSize)
    expect(at(2).series[0]!.barMaxWidth).toBe(2 * at(1).series[0]!.barMaxWidth)
  })

  it('overlays shelter bars in place (capacity behind, checked-in in front)', () => {
    const option = overlaidBarsOption(1, [{ label: '活动室', values: [750, 400, 120] }], levels.slice(0, 3)) as {
      series: { barGap: string; z: number; data: number[] }[]
    }
    expect(option.series.every((s) => s.barGap === '-100%')).toBe(true)
    expect(option.series.map((s) => s.z)).toEqual([2, 3, 4])
    expect(option.series.map((s) => s.data[0])).toEqual([750, 400, 120])
  })

  it('writes the share in the middle of the ring', () => {
    const option = ringOption(1, [{ name: '已演练', value: 19, colour: '#0f0' }], '61%') as {
      series: { label: { formatter: () => string }; data: { value: number }[] }[]
    }
    expect(option.series[0]!.label.formatter()).toBe('61%')
    expect(option.series[0]!.data[0]!.value).toBe(19)
  })
})
