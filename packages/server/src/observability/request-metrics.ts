// The two per-request metrics (requests by route/method/status, latency by route/method), counted in
// plain numbers and handed to prom-client's registry only when /metrics is scraped. prom-client's own
// labelled children validate and hash their labels again on every call, even when cached: on the JWKS
// path that was about 9 % of the server's CPU (BENCH_PROFILE=jwks). Here a request costs two Map
// lookups, a bucket search and a few increments. The exposition is still prom-client's: the registry
// formats these values exactly as it formats its own counters and histograms.
import type { Registry } from "prom-client";

interface Series {
  route: string;
  method: string;
  statuses: Map<number, number>;
  /** Observations per bucket (not cumulative); the last slot is above every bound. */
  buckets: number[];
  sum: number;
  count: number;
}

type Value = { labels: Record<string, string | number>; value: number; metricName?: string };

export function registerRequestMetrics(registry: Registry, names: { requests: string; duration: string }, bounds: number[]): (route: string, method: string, status: number, seconds: number) => void {
  // route → method → series. Routes are the route table's patterns (or "other"), methods come from
  // node's parser: both bounded, so the maps stay small.
  const byRoute = new Map<string, Map<string, Series>>();

  const seriesFor = (route: string, method: string): Series => {
    let byMethod = byRoute.get(route);
    if (!byMethod) byRoute.set(route, (byMethod = new Map()));
    let s = byMethod.get(method);
    if (!s) byMethod.set(method, (s = { route, method, statuses: new Map(), buckets: new Array(bounds.length + 1).fill(0), sum: 0, count: 0 }));
    return s;
  };
  const all = (): Series[] => [...byRoute.values()].flatMap((m) => [...m.values()]);

  const requestsHelp = "HTTP requests answered, by route pattern, method and status.";
  const durationHelp = "Time from request to response, by route pattern and method.";
  registry.registerMetric({
    name: names.requests,
    help: requestsHelp,
    type: "counter",
    get: async () => ({
      name: names.requests, help: requestsHelp, type: "counter", aggregator: "sum",
      values: all().flatMap((s) => [...s.statuses].map(([status, value]): Value => ({ labels: { route: s.route, method: s.method, status: String(status) }, value }))),
    }),
    reset: () => byRoute.clear(),
  } as never);

  registry.registerMetric({
    name: names.duration,
    help: durationHelp,
    type: "histogram",
    get: async () => ({
      name: names.duration, help: durationHelp, type: "histogram", aggregator: "sum",
      values: all().flatMap((s) => {
        const labels = { route: s.route, method: s.method };
        const out: Value[] = [];
        let cumulative = 0;
        bounds.forEach((le, i) => {
          cumulative += s.buckets[i];
          out.push({ labels: { ...labels, le }, value: cumulative, metricName: `${names.duration}_bucket` });
        });
        out.push({ labels: { ...labels, le: "+Inf" }, value: s.count, metricName: `${names.duration}_bucket` });
        out.push({ labels, value: s.sum, metricName: `${names.duration}_sum` });
        out.push({ labels, value: s.count, metricName: `${names.duration}_count` });
        return out;
      }),
    }),
    reset: () => byRoute.clear(),
  } as never);

  return (route, method, status, seconds) => {
    const s = seriesFor(route, method);
    s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]) i++;
    s.buckets[i]++;
    s.sum += seconds;
    s.count++;
  };
}
