import type { ChartOption } from './echarts.ts'

/**
 * The command screen's charts as pure option builders (testable without a canvas). `u` is the
 * wall unit in CSS pixels (1 on a 1920×1080 screen, 2 on 3840×2160): ECharts sizes are pixels,
 * so every font, bar and gap is multiplied by it, as the CSS does with `--wall-unit`. Canvas
 * cannot read CSS variables, so the dark theme's chart colours live here.
 */
export const chartColours = {
  text: '#e6edf5',
  muted: '#9fb0c3',
  grid: '#22364c',
  moved: '#3fb56f',
  staying: '#8d99a8',
  remaining: '#ff5a4f',
  capacity: '#34506f',
  assigned: '#7fb0e8',
  checkedIn: '#3fb56f',
  drilled: '#3fb56f',
  planned: '#7fb0e8',
  overdue: '#fb8c00',
  missing: '#ff5a4f',
} as const

const axisText = (u: number) => ({ color: chartColours.text, fontSize: 18 * u, fontFamily: 'Noto Sans CJK SC, sans-serif' })

function horizontalBars(u: number, categories: string[], left: number): Pick<ChartOption, 'grid' | 'xAxis' | 'yAxis' | 'legend'> {
  return {
    grid: { left: left * u, right: 56 * u, top: 34 * u, bottom: 4 * u, containLabel: false },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 16 * u,
      itemHeight: 12 * u,
      itemGap: 14 * u,
      textStyle: { ...axisText(u), color: chartColours.muted },
    },
    xAxis: {
      type: 'value',
      splitLine: { lineStyle: { color: chartColours.grid } },
      axisLabel: { show: false },
    },
    yAxis: {
      type: 'category',
      data: categories,
      inverse: true,
      axisLine: { lineStyle: { color: chartColours.grid } },
      axisTick: { show: false },
      axisLabel: { ...axisText(u), width: (left - 10) * u, overflow: 'truncate', interval: 0 },
    },
  }
}

export interface StackedRow {
  label: string
  values: number[]
}

/** Horizontal bars, one stack per row (hazards by kind × risk level; progress per village). */
export function stackedBarsOption(
  u: number,
  rows: StackedRow[],
  series: { name: string; colour: string }[],
  labelWidth = 110,
): ChartOption {
  return {
    animationDuration: 600,
    ...horizontalBars(
      u,
      rows.map((row) => row.label),
      labelWidth,
    ),
    series: series.map((s, index) => ({
      type: 'bar' as const,
      name: s.name,
      stack: 'all',
      barMaxWidth: 26 * u,
      itemStyle: { color: s.colour },
      label: {
        show: true,
        color: '#0b1520',
        fontSize: 16 * u,
        fontWeight: 'bold' as const,
        formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? String(p.value) : ''),
      },
      data: rows.map((row) => row.values[index] ?? 0),
    })),
  }
}

/**
 * Bars drawn over each other per row, the first widest (shelters: capacity behind, people
 * assigned over it, people checked in over that): one glance says how full each one is.
 */
export function overlaidBarsOption(
  u: number,
  rows: StackedRow[],
  series: { name: string; colour: string }[],
  labelWidth = 130,
): ChartOption {
  return {
    animationDuration: 600,
    ...horizontalBars(
      u,
      rows.map((row) => row.label),
      labelWidth,
    ),
    series: series.map((s, index) => ({
      type: 'bar' as const,
      name: s.name,
      // Same width, drawn over each other in order: the later (smaller) figure in front.
      barGap: '-100%',
      barWidth: 16 * u,
      itemStyle: { color: s.colour },
      z: index + 2,
      label:
        index === 0
          ? { show: true, position: 'right' as const, color: chartColours.muted, fontSize: 16 * u, formatter: '{c}' }
          : { show: false },
      data: rows.map((row) => row.values[index] ?? 0),
    })),
  }
}

/** A ring of parts (drill coverage by status), the share of the first part written in its middle. */
export function ringOption(u: number, parts: { name: string; value: number; colour: string }[], centre: string): ChartOption {
  return {
    animationDuration: 600,
    series: [
      {
        type: 'pie',
        radius: ['62%', '90%'],
        center: ['50%', '50%'],
        avoidLabelOverlap: false,
        label: {
          show: true,
          position: 'center',
          formatter: () => centre,
          color: chartColours.text,
          fontSize: 34 * u,
          fontWeight: 'bold',
        },
        labelLine: { show: false },
        emphasis: { disabled: true },
        itemStyle: { borderColor: '#101c2a', borderWidth: 2 * u },
        data: parts.map((part) => ({ name: part.name, value: part.value, itemStyle: { color: part.colour } })),
      },
    ],
  }
}
