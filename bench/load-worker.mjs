// autocannon in its own process, so the load generator shares neither the event loop nor the process of the server
// it measures. Plain JavaScript: started with node alone, without the tsx loader.
import autocannon from 'autocannon';

process.once('message', async ({ url, connections, seconds, requests, method, bodies, each }) => {
  let sent = 0;
  const options = {
    url,
    connections,
    // `each`: every request of the list once, in order, then stop (a case started once); otherwise at random for a time
    ...(each ? { amount: requests.length } : { duration: seconds }),
    requests: [
      {
        method: method ?? 'GET',
        setupRequest: (request) => {
          const pick = each ? requests[sent % requests.length] : requests[Math.floor(Math.random() * requests.length)];
          sent++;
          // a body template's {{n}} becomes a number no other request of the run uses (each enrolment its own)
          const body = bodies ? pick.body.replaceAll('{{n}}', String(sent)) : undefined;
          return { ...request, path: pick.path, headers: { ...request.headers, ...pick.headers }, ...(body === undefined ? {} : { body }) };
        },
      },
    ],
  };
  const result = await autocannon(options);
  process.send(
    {
      requestsPerSecond: result.latency.totalCount / result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    },
    () => process.exit(0),
  );
});
