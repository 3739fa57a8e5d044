import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx'
import {
  enumLabels,
  paragraphText,
  summaryParagraphs,
  summarySectionIds,
  summarySectionTitles,
  summaryShortTitle,
  summaryTitle,
  type Summary,
  type SummaryParagraph,
} from '@riskatlas/shared'

const font = { ascii: 'Noto Serif CJK SC', eastAsia: '仿宋_GB2312', hAnsi: 'Noto Serif CJK SC' }

/** The drills table's columns: heading, share of the width (%), and the cell of one drill. */
const drillColumns: { title: string; width: number; cell: (drill: Summary['drillsHeld'][number], index: number) => string }[] = [
  { title: '序号', width: 7, cell: (_, index) => String(index + 1) },
  { title: '自然村', width: 17, cell: (d) => d.naturalVillageName },
  { title: '所属村（社区）', width: 17, cell: (d) => d.adminName },
  { title: '演练日期', width: 15, cell: (d) => d.heldOn },
  { title: '演练科目', width: 11, cell: (d) => enumLabels[d.scenario]?.zh ?? d.scenario },
  { title: '参演人数', width: 11, cell: (d) => (d.participants === null ? '—' : String(d.participants)) },
  { title: '转移特殊人群', width: 11, cell: (d) => (d.vulnerableMoved === null ? '—' : String(d.vulnerableMoved)) },
  { title: '撤离用时（分钟）', width: 11, cell: (d) => (d.evacuationMinutes === null ? '—' : String(d.evacuationMinutes)) },
]

/** 各自然村演练开展情况: one row per drill held in the period, under the paragraph that counts them. */
function drillsTable(drills: Summary['drillsHeld']): (Paragraph | Table)[] {
  const cell = (text: string, width: number, bold = false) =>
    new TableCell({
      width: { size: width, type: WidthType.PERCENTAGE },
      children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, bold, font, size: 21 })] })],
    })
  const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' }
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 120 },
      children: [new TextRun({ text: '各自然村汛前应急演练开展情况', bold: true, font, size: 28 })],
    }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      borders: { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line },
      rows: [
        new TableRow({ tableHeader: true, children: drillColumns.map((column) => cell(column.title, column.width, true)) }),
        ...drills.map(
          (drill, index) => new TableRow({ children: drillColumns.map((column) => cell(column.cell(drill, index), column.width)) }),
        ),
      ],
    }),
  ]
}

const countsDrills = (paragraph: SummaryParagraph) =>
  paragraph.some((segment) => typeof segment === 'object' && segment.figure === 'drillsHeld')

/**
 * The work summary as a Word document: the title, then the town's four sections, each with its
 * generated paragraphs (figures filled in) and the narrative saved for the year; the paragraph on
 * drills is followed by the table of drills held by natural village.
 */
export async function summaryDocx(summary: Summary): Promise<Uint8Array> {
  const paragraphs = summaryParagraphs(summary)
  const body = (text: string) =>
    new Paragraph({ children: [new TextRun({ text, font, size: 32 })], indent: { firstLine: 640 }, spacing: { line: 560 } })
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 400 },
      children: [new TextRun({ text: summaryTitle(summary), bold: true, size: 40, font })],
    }),
  ]
  for (const section of summarySectionIds) {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        spacing: { before: 240, after: 120 },
        children: [new TextRun({ text: summarySectionTitles[section].zh, bold: true, size: 32, font, color: '000000' })],
      }),
    )
    for (const paragraph of paragraphs[section]) {
      children.push(body(paragraphText(paragraph)))
      if (countsDrills(paragraph) && summary.drillsHeld.length > 0) children.push(...drillsTable(summary.drillsHeld))
    }
    for (const text of summary.narratives[section]
      .split(/\n+/)
      .map((line) => line.trim())
      .filter(Boolean))
      children.push(body(text))
  }
  const document = new Document({
    creator: 'RiskAtlas',
    title: summaryShortTitle(summary.period),
    sections: [{ properties: { page: { margin: { top: 2000, bottom: 1800, left: 1600, right: 1500 } } }, children }],
  })
  return new Uint8Array(await Packer.toBuffer(document))
}
