// A real TCP proxy on a free 127.0.0.1 port in front of a server (PostgreSQL, Redis) that a test
// can break the way networks and databases break:
//   cut()     – every connection is reset and new ones are reset on arrival (server gone);
//   freeze()  – sockets stay open but no byte moves either way (stalled server, lost packets);
//               bytes sent meanwhile are held, as the kernel would hold them, and delivered on
//   restore() – back to forwarding; after a freeze the held bytes go through first, then any
//               close that happened meanwhile (as a partition that heals).
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export type ProxyState = "open" | "cut" | "frozen";

export interface TcpProxy {
  readonly port: number;
  readonly state: ProxyState;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /** `target` URL with host and port replaced by the proxy's. */
  url(target: string): string;
  cut(): void;
  freeze(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Side {
  socket: Socket;
  /** Chunks read during a freeze, or before the upstream connected. */
  held: Buffer[];
  /** This side ended or failed while frozen: pass it on at restore. */
  closedWhileFrozen: boolean;
}

interface Pair {
  client: Side;
  upstream: Side | null;
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const host = target.host ?? "127.0.0.1";
  let state: ProxyState = "open";
  const pairs = new Set<Pair>();

  const flush = (from: Side, to: Side): void => {
    for (const chunk of from.held.splice(0)) to.socket.write(chunk);
  };

  /** Passes on one side's end or failure to the other: a graceful end, so written bytes still go. */
  const passClose = (pair: Pair, from: Side): void => {
    const other = from === pair.client ? pair.upstream : pair.client;
    if (other === null) {
      // The upstream never connected: nothing to tell it.
      pairs.delete(pair);
      from.socket.destroy();
      return;
    }
    other.socket.end();
    if (from.socket.destroyed && other.socket.destroyed) pairs.delete(pair);
  };

  /** Wires one direction: bytes from `from` go to the other side of `pair` unless frozen. */
  const forward = (pair: Pair, from: Side, to: () => Side | null): void => {
    from.socket.on("data", (chunk: Buffer) => {
      const dest = to();
      if (state !== "open" || dest === null) {
        from.held.push(chunk);
        return;
      }
      if (!dest.socket.write(chunk)) {
        from.socket.pause();
        dest.socket.once("drain", () => { if (state === "open") from.socket.resume(); });
      }
    });
    const closed = (): void => {
      if (state === "frozen") from.closedWhileFrozen = true;
      else passClose(pair, from);
    };
    from.socket.on("end", closed);
    from.socket.on("close", () => {
      closed();
      if (pair.client.socket.destroyed && (pair.upstream?.socket.destroyed ?? true)) pairs.delete(pair);
    });
    from.socket.on("error", () => undefined); // 'close' follows
  };

  const connectUpstream = (pair: Pair): void => {
    const socket = connect({ host, port: target.port });
    const side: Side = { socket, held: [], closedWhileFrozen: false };
    socket.setNoDelay(true);
    socket.on("connect", () => {
      pair.upstream = side;
      flush(pair.client, side);
      if (pair.client.closedWhileFrozen || pair.client.socket.readableEnded) socket.end();
    });
    forward(pair, side, () => pair.client);
  };

  const server: Server = createServer((socket) => {
    if (state === "cut") {
      socket.resetAndDestroy();
      return;
    }
    socket.setNoDelay(true);
    const pair: Pair = { client: { socket, held: [], closedWhileFrozen: false }, upstream: null };
    pairs.add(pair);
    forward(pair, pair.client, () => pair.upstream);
    // A connection arriving during a freeze waits, like a SYN to a stalled host, until restore.
    if (state === "open") connectUpstream(pair);
    else socket.pause();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    get state() { return state; },
    get connections() { return pairs.size; },
    url(targetUrl) {
      const u = new URL(targetUrl);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    cut() {
      state = "cut";
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.socket.resetAndDestroy();
        if (pair.upstream) pair.upstream.socket.resetAndDestroy();
      }
    },
    freeze() {
      if (state !== "open") return;
      state = "frozen";
      for (const pair of pairs) {
        pair.client.socket.pause();
        pair.upstream?.socket.pause();
      }
    },
    restore() {
      const was = state;
      state = "open";
      if (was !== "frozen") return;
      for (const pair of [...pairs]) {
        if (pair.upstream === null) {
          connectUpstream(pair);
          pair.client.socket.resume();
          continue;
        }
        // Held bytes first, then any close that happened meanwhile, then normal forwarding.
        flush(pair.client, pair.upstream);
        flush(pair.upstream, pair.client);
        if (pair.client.closedWhileFrozen) passClose(pair, pair.client);
        if (pair.upstream.closedWhileFrozen) passClose(pair, pair.upstream);
        pair.client.socket.resume();
        pair.upstream.socket.resume();
      }
    },
    async close() {
      state = "cut";
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.socket.destroy();
        pair.upstream?.socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
