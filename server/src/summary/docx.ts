import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import {
  paragraphText,
  summaryParagraphs,
  summarySectionIds,
  summarySectionTitles,
  summaryShortTitle,
  summaryTitle,
  type Summary,
} from '@riskatlas/shared'

const font = { ascii: 'Noto Serif CJK SC', eastAsia: '仿宋_GB2312', hAnsi: 'Noto Serif CJK SC' }

/**
 * The work summary as a Word document: the title, then the town's four sections, each with its
 * generated paragraphs (figures filled in) and the narrative saved for the year.
 */
export async function summaryDocx(summary: Summary): Promise<Uint8Array> {
  const paragraphs = summaryParagraphs(summary)
  const body = (text: string) =>
    new Paragraph({ children: [new TextRun({ text, font, size: 32 })], indent: { firstLine: 640 }, spacing: { line: 560 } })
  const children: Paragraph[] = [
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
    for (const paragraph of paragraphs[section]) children.push(body(paragraphText(paragraph)))
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
