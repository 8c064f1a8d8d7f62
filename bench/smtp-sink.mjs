// The benchmark's SMTP server, in its own thread so that it does not share the event loop it measures.
// Reports each accepted message's id (from its Message-ID) with the absolute time of acceptance.
import { parentPort } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  closeTimeout: 50,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk) => {
      if (head.length < 4096) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      const id = /^Message-ID:\s*<([^@>]+)@/im.exec(head)?.[1];
      parentPort.postMessage({ id, at: performance.timeOrigin + performance.now() });
      callback();
    });
  },
});
// a client killed mid-session (the kill test) resets its connection: that is not the sink's failure
server.on('error', () => {});
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => process.exit(0));
});
