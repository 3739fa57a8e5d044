/** One Server-Sent Events frame as a client sees it (a comment line is `{ comment }`). */
export interface SseFrame {
  event?: string
  id?: string
  data?: string
  retry?: string
  comment?: string
}

/** Parses `text/event-stream` text into frames; returns the frames and the unfinished rest. */
export function parseFrames(text: string): { frames: SseFrame[]; rest: string } {
  const blocks = text.split('\n\n')
  const rest = blocks.pop() ?? ''
  const frames = blocks
    .filter((block) => block.length > 0)
    .map((block) => {
      const frame: SseFrame = {}
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim()
        else {
          const at = line.indexOf(':')
          const field = (at < 0 ? line : line.slice(0, at)) as keyof SseFrame
          const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '')
          frame[field] = field === 'data' && frame.data !== undefined ? `${frame.data}\n${value}` : value
        }
      }
      return frame
    })
  return { frames, rest }
}

/** Reads an event-stream response frame by frame: `next(match)` waits for the next matching frame. */
export function sseClient(response: Response) {
  if (!response.body) throw new Error('no body to stream')
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  const frames: SseFrame[] = []
  const seen: SseFrame[] = []
  let rest = ''
  let ended = false
  let wake: (() => void) | undefined
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        const parsed = parseFrames(rest + decoder.decode(value, { stream: true }))
        rest = parsed.rest
        frames.push(...parsed.frames)
        seen.push(...parsed.frames)
        wake?.()
      }
    } catch {
      // cancelled
    } finally {
      ended = true
      wake?.()
    }
  })()
  async function next(match: (frame: SseFrame) => boolean = (frame) => frame.event !== undefined, ms = 5_000): Promise<SseFrame> {
    const deadline = Date.now() + ms
    for (;;) {
      const index = frames.findIndex(match)
      if (index >= 0) return frames.splice(0, index + 1).at(-1)!
      if (ended) throw new Error(`the stream ended before a matching frame (saw ${JSON.stringify(seen)})`)
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching frame within ${ms} ms (saw ${JSON.stringify(seen)})`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        wake = () => {
          clearTimeout(timer)
          wake = undefined
          resolve()
        }
      })
    }
  }
  return {
    next,
    /** Every frame received so far. */
    seen,
    get ended() {
      return ended
    },
    async close() {
      await reader.cancel().catch(() => {})
      await pump
    },
  }
}
