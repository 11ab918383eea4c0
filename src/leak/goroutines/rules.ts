// Known goroutine leak patterns. Each rule recognizes a group by its
// normalized stack (leaf first) and state, and says why such goroutines
// pile up and how to fix it. The first matching rule names the group; the
// verdict itself (leak, suspect, ok) comes from the series (./verdict.ts).

export interface RuleMatch {
  readonly rule: string;
  readonly explanation: string;
  readonly hint: string;
}

interface Rule extends RuleMatch {
  readonly matches: (stack: readonly string[], state: string) => boolean;
}

const has = (stack: readonly string[], pred: (f: string) => boolean): boolean => stack.some(pred);

const RULES: readonly Rule[] = [
  {
    rule: 'http-persistconn',
    matches: (s) => has(s, (f) => f === 'net/http.(*persistConn).readLoop' || f === 'net/http.(*persistConn).writeLoop'),
    explanation: 'net/http client connections: each open connection keeps a readLoop and a writeLoop goroutine. They pile up when response bodies are not closed (the connection can never be reused or released) or when a new http.Client/Transport is made per request.',
    hint: 'Always `defer resp.Body.Close()` (drain it with io.Copy(io.Discard, resp.Body) to allow reuse), share one http.Client, and set Transport.IdleConnTimeout.',
  },
  {
    rule: 'http-server-conn',
    matches: (s) => has(s, (f) => f === 'net/http.(*conn).serve'),
    explanation: 'net/http server connections held open: clients keep connections (and their serving goroutines) alive, often because they leak response bodies themselves.',
    hint: 'Set http.Server ReadTimeout/IdleTimeout (and ReadHeaderTimeout); fix the clients that never close bodies.',
  },
  {
    rule: 'database-sql-pool',
    matches: (s) => has(s, (f) => f.startsWith('database/sql.') && (f.endsWith('(*DB).conn') || f.endsWith('(*DB).connectionOpener') || f.includes('awaitDone'))),
    explanation: 'database/sql callers waiting for a pool connection: every connection is held by someone who does not give it back (a Rows or Tx never closed, a Conn never released) or the pool is too small for the load.',
    hint: 'Close every *sql.Rows (defer rows.Close()) and finish every Tx; pass contexts with deadlines to QueryContext; size SetMaxOpenConns for the concurrency.',
  },
  {
    rule: 'waitgroup-wait',
    matches: (s) => has(s, (f) => f === 'sync.(*WaitGroup).Wait'),
    explanation: 'sync.WaitGroup.Wait never released: the counter never reaches zero, because Add counted more goroutines than call Done (or a worker is itself blocked).',
    hint: 'Pair each Add(1) with a `defer wg.Done()` in the goroutine it counts, and make sure the workers themselves can finish.',
  },
  {
    rule: 'context-never-cancelled',
    matches: (s) => has(s, (f) => f.startsWith('context.') && (f.includes('propagateCancel') || f.includes('AfterFunc'))),
    explanation: 'Contexts never cancelled: context.WithCancel/WithTimeout children of a parent that is not a standard context each start a goroutine that waits for the parent or the child to be done; without cancel() they wait for ever.',
    hint: 'Call the CancelFunc of every WithCancel/WithTimeout/WithDeadline (`defer cancel()`), or derive from a standard context.',
  },
  {
    rule: 'sleep-ticker-loop',
    matches: (s, state) => state === 'sleep' || has(s, (f) => f === 'time.Sleep' || f.startsWith('time.(*Ticker)') || f === 'time.Tick'),
    explanation: 'Polling loops never stopped: goroutines looping on time.Sleep (or a ticker) with no way to be told to stop.',
    hint: 'Give the loop a stop signal: select on ctx.Done() (or a done channel) next to the ticker, and call ticker.Stop() when it returns.',
  },
  {
    rule: 'chan-blocked',
    matches: (_s, state) => state.startsWith('chan send') || state.startsWith('chan receive') || state.startsWith('select'),
    explanation: 'Blocked on a channel with no peer: the other side gave up (a timed-out caller, a returned function) or never existed, so the send or receive can never complete. Ticker channels of loops nobody stops look the same.',
    hint: 'Make result channels buffered (make(chan T, 1)) so a sender can always finish, and select on ctx.Done() or a done channel wherever a peer may go away; stop tickers.',
  },
  {
    rule: 'sync-blocked',
    matches: (_s, state) => state.startsWith('sync.') || state === 'semacquire',
    explanation: 'Blocked on a lock or condition that is never released or signalled.',
    hint: 'Find the holder (the goroutine in the same function that is not blocked, or an Unlock missing on an error path) and release with defer.',
  },
  {
    rule: 'io-wait',
    matches: (_s, state) => state === 'IO wait',
    explanation: 'Blocked reading or writing a connection that neither sends nor closes.',
    hint: 'Set deadlines (SetReadDeadline, http timeouts) and close connections you no longer use.',
  },
];

/** The first rule that names this group, or null. */
export function matchRule(stack: readonly string[], state: string): RuleMatch | null {
  for (const r of RULES) if (r.matches(stack, state)) return { rule: r.rule, explanation: r.explanation, hint: r.hint };
  return null;
}

/** Rule names in match order (docs and tests). */
export const RULE_NAMES: readonly string[] = RULES.map((r) => r.rule);
