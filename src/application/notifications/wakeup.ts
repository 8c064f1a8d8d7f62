/**
 * The in-process signal that a notification was enqueued: on the embedded database it wakes the
 * dispatcher at once (PostgreSQL has LISTEN/NOTIFY, and polling covers everything else). A signal sent
 * inside a transaction can arrive before the commit: PGlite has one connection, so the dispatcher's claim
 * waits for the commit anyway; on PostgreSQL the NOTIFY at commit wakes it again.
 */
type Listener = () => void;

const listeners = new Set<Listener>();

export function onNotificationsEnqueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function signalNotificationsEnqueued(): void {
  for (const listener of listeners) listener();
}
