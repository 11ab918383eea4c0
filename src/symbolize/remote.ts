// Client for Go's /debug/pprof/symbol endpoint (net/http/pprof): POST the
// addresses joined with '+', read back "0x<addr> <name>" lines. The reply
// names functions only; no files or lines.

export type SymbolFetcher = (addrs: readonly bigint[]) => Promise<Map<bigint, string>>;

/** The symbol endpoint for a profile source URL (same host, /debug/pprof/symbol). */
export function symbolUrl(sourceUrl: string): string {
  const u = new URL(sourceUrl);
  const i = u.pathname.indexOf('/debug/pprof/');
  u.pathname = (i >= 0 ? u.pathname.slice(0, i) : '') + '/debug/pprof/symbol';
  u.search = '';
  u.hash = '';
  return u.toString();
}

/** Parses the endpoint's reply ("num_symbols: N" header, then "0x… name"). */
export function parseSymbolReply(text: string): Map<bigint, string> {
  const out = new Map<bigint, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(0x[0-9a-fA-F]+)\s+(.+?)\s*$/.exec(line);
    if (m) out.set(BigInt(m[1]), m[2]);
  }
  return out;
}

/** A fetcher that asks the server at `sourceUrl`, in batches so request bodies stay small. */
export function httpSymbolFetcher(sourceUrl: string, timeoutMs = 30_000): SymbolFetcher {
  const url = symbolUrl(sourceUrl);
  return async (addrs) => {
    const out = new Map<bigint, string>();
    for (let i = 0; i < addrs.length; i += 4096) {
      const body = addrs.slice(i, i + 4096).map((a) => '0x' + a.toString(16)).join('+');
      const res = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      for (const [a, n] of parseSymbolReply(await res.text())) out.set(a, n);
    }
    return out;
  };
}
