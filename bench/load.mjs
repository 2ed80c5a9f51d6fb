// One autocannon run, as a child process (run.mjs pins it to its own core). Usage:
//   node bench/load.mjs '{"url": …, "method": …, "headers": {…}, "body": …, "connections": 32, "duration": 10}'
// Prints one JSON line: req/s, latency percentiles (ms; autocannon records whole ms), status counts,
// and this process's CPU time (to tell whether the load generator was the bottleneck).
import autocannon from "autocannon";

const spec = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: spec.url,
  method: spec.method ?? "GET",
  headers: spec.headers,
  body: spec.body,
  connections: spec.connections,
  duration: spec.duration,
});
const cpu = process.cpuUsage(); // this process, start-up included
console.log(JSON.stringify({
  reqPerSec: result.requests.average,
  requests: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  mean: result.latency.mean,
  cpuMs: (cpu.user + cpu.system) / 1000,
}));
