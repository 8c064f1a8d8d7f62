// The reference of the HTTP benchmarks: a bare Fastify route answering a small JSON body, in a process of its own
// as the measured server is. It sends its base URL to the parent and stops when the parent disconnects.
import Fastify from 'fastify';

const bare = Fastify({ logger: false });
bare.get('/', async () => ({ status: 'ok' }));
const url = await bare.listen({ port: 0, host: '127.0.0.1' });
process.send({ url });
process.on('disconnect', () => bare.close().then(() => process.exit(0)));
