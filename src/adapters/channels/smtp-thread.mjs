// The SMTP client in a thread of its own (smtp.ts explains why). Plain JavaScript: a worker thread does
// not inherit the TypeScript loader. It gets the transport options once, then { seq, mail } per message,
// and answers { seq, info } or { seq, error } with the fields the channel classifies errors by.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';

const transport = nodemailer.createTransport(workerData);

parentPort.on('message', (request) => {
  if (request === 'close') {
    transport.close();
    parentPort.close();
    return;
  }
  transport.sendMail(request.mail).then(
    (info) => parentPort.postMessage({ seq: request.seq, info: { rejected: info.rejected, response: info.response, messageId: info.messageId } }),
    (error) => parentPort.postMessage({ seq: request.seq, error: { code: error.code, responseCode: error.responseCode, response: error.response, message: error.message } }),
  );
});
