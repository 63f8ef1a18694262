/** Live events as a browser reads them (GET /api/v1/events/stream), for tests. */

export interface LiveMessage {
  event: string;
  data: {
    type: string;
    tenantId: string;
    ticketId?: string;
    agentId?: string;
    online?: boolean;
    userId?: string;
  };
}

/** A real SSE client: fetch, read the text/event-stream, split on blank lines (WHATWG §9.2.6). */
export function stream(baseUrl: string, token: string, path = '/api/v1/events/stream') {
  const messages: LiveMessage[] = [];
  const comments: string[] = [];
  const abort = new AbortController();
  let markEnded = () => {};
  /** Resolves when the hub ends the stream (or the test aborts it). */
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  const opened = fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  }).then(async (res) => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return markEnded();
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string) =>
              block
                .split('\n')
                .find((l) => l.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            if (block.startsWith(':')) comments.push(block);
            else if (field('event'))
              messages.push({ event: field('event')!, data: JSON.parse(field('data')!) });
          }
        }
      } catch {
        // aborted
      }
      markEnded();
    })();
    return res;
  });
  return { opened, messages, comments, ended, close: () => abort.abort() };
}
