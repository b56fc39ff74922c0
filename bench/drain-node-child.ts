/**
 * One drain of the `drain-10k` row's Node figures, in a process of its own (drain-10k.ts starts it):
 * its RSS is then the engine's and the database's, not the bench process's (the stack's gateway, Vite,
 * the earlier rows' leftovers, about 230 MB before anything was queued). It reads a `ChildRequest`
 * as JSON on stdin, queues the walk-ins into Dexie on fake-indexeddb (held in this process's heap, as
 * a phone's database is not), drains them with the engine against the running stack, and writes a
 * `ChildResult` as JSON on stdout. A drain of `WARM_UP` walk-ins comes first, on a store of its own:
 * the measured drain runs compiled code, as in a bench process that drained before (and the 1,000
 * and the 10,000, each in its own process, start alike).
 */
import { type ChildRequest, type ChildResult, WARM_UP } from './drain-node.ts';
import { collectGarbage, mb } from './node-memory.ts';
import { drainServer } from './stack-client.ts';
import { dexieStore, drainWithEngine, queueWalkIns } from './sync-drain.ts';

async function stdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const request = JSON.parse(await stdinText()) as ChildRequest;
  const server = drainServer(request.stack, request.login);
  const warmUp = request.slots.slice(0, WARM_UP * 4);
  await drainWithEngine(server, await queueWalkIns(dexieStore(), warmUp, WARM_UP, 4));
  const slots = request.slots.slice(WARM_UP * 4);
  request.slots = [];
  warmUp.length = 0;
  collectGarbage();
  const before = process.memoryUsage();
  const store = await queueWalkIns(dexieStore(), slots, request.patients, 4);
  slots.length = 0;
  const drain = await drainWithEngine(server, store, true);
  const result: ChildResult = { beforeRssMb: mb(before.rss), beforeHeapMb: mb(before.heapUsed), drain };
  process.stdout.write(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
