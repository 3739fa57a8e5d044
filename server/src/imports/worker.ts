import { parentPort } from 'node:worker_threads'
import { parseFile, type ParseOptions } from './parse.ts'
import { UnreadableFile } from './types.ts'

/** The parse worker: one message in (file name, bytes, options), one out (the parsed file or why not). */
parentPort?.on('message', async (message: { fileName: string; bytes: Uint8Array; options: ParseOptions }) => {
  try {
    parentPort!.postMessage({ ok: true, parsed: await parseFile(message.fileName, message.bytes, message.options) })
  } catch (error) {
    if (error instanceof UnreadableFile)
      parentPort!.postMessage({ ok: false, code: error.code, reason: error.reason, params: error.params })
    else
      parentPort!.postMessage({
        ok: false,
        code: 'unreadable',
        reason: 'unreadable',
        params: {},
        internal: String((error as Error)?.message ?? error),
      })
  }
})
