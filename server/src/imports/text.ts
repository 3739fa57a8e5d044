import iconv from 'iconv-lite'

export type TextEncoding = 'utf-8' | 'utf-16le' | 'gb18030'

/**
 * Decodes a text file the way Chinese offices write them: UTF-8 with or without a BOM, UTF-16
 * (Excel's "Unicode text"), or GBK/GB18030 (what Chinese Excel saves as CSV). Bytes that are
 * valid UTF-8 are taken as UTF-8; anything else is read as GB18030, a superset of GBK.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    return { text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gb18030'), encoding: 'gb18030' }
  }
}

const fullWidth = /[\uff01-\uff5e\u3000]/

/** Full-width ASCII (ＡＢＣ１２３，．) and the ideographic space to their half-width forms. */
export function toHalfWidth(text: string): string {
  // Most cells have none: answer them without building two new strings (50,000-row files).
  if (!fullWidth.test(text)) return text
  return text.replace(/[\uff01-\uff5e]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
}
