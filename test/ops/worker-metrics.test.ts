import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { commandsDatabase } from '../support/commands.ts';
import { usingPostgres } from '../support/database.ts';
import { parsePrometheus } from './prometheus.ts';

const commands = commandsDatabase('pratica-worker-metrics-');

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('pratica worker', () => {
  test('serves its own metrics on METRICS_PORT, behind METRICS_TOKEN', { skip: usingPostgres() ? false : 'the worker runs on PostgreSQL only' }, async () => {
    assert.equal((await commands.pratica(['migrate'])).code, 0);
    const port = await freePort();
    const token = 'worker-metrics-token-0123456789abcdef';
    const worker = spawn(process.execPath, ['bin/pratica.mjs', 'worker'], {
      env: commands.environment({ METRICS_PORT: String(port), METRICS_TOKEN: token }),
      stdio: 'ignore',
    });
    try {
      let answer: Response | undefined;
      for (let i = 0; i < 600 && !answer; i++) {
        answer = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
        if (!answer) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(answer, 'the worker never served its metrics');
      assert.equal(answer.status, 200);
      const samples = parsePrometheus(await answer.text());
      assert.ok(samples.some((s) => s.name === 'pratica_notification_queue_depth'));
      assert.ok(samples.some((s) => s.name === 'process_resident_memory_bytes'));
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 401);
    } finally {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
  });
});
