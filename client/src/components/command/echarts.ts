/**
 * ECharts, tree-shaken: the core and only the charts, components and renderer the command
 * screen draws. Imported only by `EChart.vue`, itself loaded only by the command view, so none
 * of it is in the workspace's bundle.
 */
import { init, use, type ComposeOption, type ECharts } from 'echarts/core'
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts'
import { GridComponent, LegendComponent, type GridComponentOption, type LegendComponentOption } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, PieChart, GridComponent, LegendComponent, CanvasRenderer])

export type ChartOption = ComposeOption<BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption>
export { init, type ECharts }
