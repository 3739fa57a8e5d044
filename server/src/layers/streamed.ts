import type { Context } from 'hono'
import type { Kysely, RawBuilder } from 'kysely'
import type { Database } from '../db/schema.ts'
import { markStreamed, textBody } from '../router.ts'

/** Feature rows per read from the cursor: a few hundred KB of text for lines, fewer round trips than rows. */
export const featureBatchRows = 500

/** The text around the features of a collection answer, and how many features it announces. */
export interface CollectionFrame {
  /** Everything before the first feature (ends with `[\n`). */
  head: string
  /** Everything after the last feature (starts with `\n]`). */
  tail: string
  /** The count the head states (`numberReturned`): a stream that yields another number is aborted, not completed. */
  announced?: number
}

export interface StreamedAnswer {
  contentType: string
  headers?: Record<string, string>
  /** Where a failure after the first byte is told (the client only sees its connection cut). */
  log: (line: string) => void
}

/**
 * A feature collection answered from a database cursor: `rows` (one Feature text per row, in
 * order) is read `featureBatchRows` at a time and each batch is sent as it arrives, between the
 * frame's head and tail — the same bytes the buffered path (`joinedFeaturesSql`) writes, with the
 * transport overlapping the query instead of following it.
 *
 * - The frame (which may wait on a count run beside the rows on another connection) and the
 *   first batch are awaited before the response exists: a failure there throws, and the caller
 *   gets the normal JSON error envelope.
 * - An answer that fits in its first batch is sent whole, with its length, as before (the
 *   compression middleware's threshold applies); a larger one is streamed (chunked, gzipped by
 *   the compression middleware when the client accepts it).
 * - The cursor is read ahead as fast as the database gives rows, whatever the client's pace: the
 *   connection is held for the query's time, never for a slow client's (the queued batches are
 *   at most the answer, which the buffered path holds whole too). A client that goes away
 *   cancels the read and the cursor is closed, its connection released.
 * - A failure after the first byte (or a count that differs from the announced one) errors the
 *   stream: the server cuts the connection, so a client never takes half a collection for one.
 */
export async function streamedFeatureCollection(
  c: Context,
  db: Kysely<Database>,
  rows: RawBuilder<{ feature: string }>,
  frame: Promise<CollectionFrame>,
  answer: StreamedAnswer,
): Promise<Response> {
  // Started before anything is awaited, and never waiting on the frame: a cursor holding the
  // pool's last connection while the count queues for one would wait for ever.
  const batches = readAhead(db.getExecutor().stream<{ feature: string }>(rows.compile(db), featureBatchRows))
  let opened: CollectionFrame
  let first: IteratorResult<{ rows: { feature: string }[] }>
  try {
    ;[opened, first] = await Promise.all([frame, batches.next()])
  } catch (error) {
    batches.cancel()
    throw error
  }
  const firstRows = first.done ? [] : first.value.rows
  // Fewer rows than asked for: the cursor is at its end, and the answer is small — sent whole.
  if (firstRows.length < featureBatchRows) {
    const all = [...firstRows]
    for (let next = await batches.next(); !next.done; next = await batches.next()) all.push(...next.value.rows)
    if (opened.announced !== undefined && opened.announced !== all.length) throw announcedMismatch(opened.announced, all.length)
    return textBody(c, `${opened.head}${joined(all)}${opened.tail}`, 200, answer.contentType, answer.headers)
  }
  let sent = firstRows.length
  let head: string | undefined = `${opened.head}${joined(firstRows)}`
  const body = new ReadableStream<Uint8Array>({
    // Pulled at the client's pace; the cursor behind `batches` is read at the database's.
    async pull(controller) {
      if (head !== undefined) {
        controller.enqueue(Buffer.from(head, 'utf8'))
        head = undefined
        return
      }
      try {
        const next = await batches.next()
        if (!next.done) {
          sent += next.value.rows.length
          controller.enqueue(Buffer.from(`,\n${joined(next.value.rows)}`, 'utf8'))
          return
        }
        if (opened.announced !== undefined && opened.announced !== sent) throw announcedMismatch(opened.announced, sent)
        controller.enqueue(Buffer.from(opened.tail, 'utf8'))
        controller.close()
      } catch (error) {
        answer.log(`streamed answer of ${c.req.method} ${c.req.path} failed after the first byte: ${(error as Error).message}`)
        controller.error(error)
      }
    },
    cancel() {
      batches.cancel()
    },
  })
  return markStreamed(c.body(body, 200, { ...answer.headers, 'Content-Type': answer.contentType }))
}

/**
 * Reads `source` to its end as fast as it yields, queueing what nobody has taken yet; `next()`
 * hands the queue on in order, then the end or the source's error. `cancel()` drops the queue and
 * stops the reading at the next item (which closes the source: for a cursor, its connection
 * goes back to the pool).
 */
export function readAhead<T>(source: AsyncIterable<T>) {
  const queue: T[] = []
  let finished = false
  let failure: { error: unknown } | undefined
  let waiting: (() => void) | undefined
  let cancelled = false
  const wake = () => {
    waiting?.()
    waiting = undefined
  }
  void (async () => {
    try {
      for await (const item of source) {
        if (cancelled) break
        queue.push(item)
        wake()
      }
    } catch (error) {
      failure = { error }
    }
    finished = true
    wake()
  })()
  return {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        if (queue.length > 0) return { done: false, value: queue.shift()! }
        if (failure) throw failure.error
        if (finished || cancelled) return { done: true, value: undefined }
        await new Promise<void>((resolve) => (waiting = resolve))
      }
    },
    cancel() {
      cancelled = true
      queue.length = 0
      wake()
    },
  }
}

const joined = (rows: { feature: string }[]) => rows.map((row) => row.feature).join(',\n')

function announcedMismatch(announced: number, sent: number) {
  // A write committed between the count and the rows (they run on two connections).
  return new Error(`the answer announced ${announced} features but the rows gave ${sent}`)
}
