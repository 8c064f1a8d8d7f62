/**
 * The App IO stand-in of the tests in a process of its own, for `npm run bench -- io`: the load (the
 * dispatcher, or the bare client loop) runs in the parent, the server's work does not share its event loop.
 */
import { startAppIo } from '../test/support/app-io.ts';

const io = await startAppIo();
process.on('message', (message: { type: string; codes?: string[] }) => {
  if (message.type === 'profiles') for (const code of message.codes ?? []) io.profiles.set(code, { senderAllowed: true });
  if (message.type === 'count' || message.type === 'profiles') process.send!({ type: 'count', count: io.messages.length });
  if (message.type === 'stop') void io.stop().then(() => process.exit(0));
});
process.send!({ type: 'ready', url: io.url });
