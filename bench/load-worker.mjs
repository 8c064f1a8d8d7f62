// autocannon in its own thread, so the load generator does not take the measured server's event loop.
// Plain JavaScript: a worker thread does not inherit the tsx loader.
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

const { url, connections, seconds, requests } = workerData;
const options = {
  url,
  connections,
  duration: seconds,
  requests: [
    {
      setupRequest: (request) => {
        const pick = requests[Math.floor(Math.random() * requests.length)];
        return { ...request, path: pick.path, headers: { ...request.headers, ...pick.headers } };
      },
    },
  ],
};
// outside the main thread autocannon hands back its raw histograms, to be aggregated by the caller
const result = autocannon.aggregateResult([await autocannon(options)], options);
parentPort.postMessage({
  requestsPerSecond: result.latency.totalCount / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
});
