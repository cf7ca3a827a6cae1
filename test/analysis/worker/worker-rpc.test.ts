// The request/response plumbing both worker clients (run reader, ONNX critic) share: answers by id, errors as
// rejections, a crash fails what is pending and the next call starts a new worker, dispose fails what is pending.
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerRpc } from '../../../analysis/worker/worker-rpc.js';

/**
 * A worker that doubles `n` after `delay` ms (so answers can overtake calls), rejects `fail`, ignores `hang`, exits
 * on `crash` and never returns from `spin` (its thread is stuck, as in a catastrophically backtracking regex).
 */
const WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
    if (request.op === 'crash') process.exit(3);
    if (request.op === 'spin') for (;;) {}
    if (request.op === 'hang') return;
    const reply = request.op === 'fail'
        ? { id: request.id, ok: false, error: 'asked to fail' }
        : { id: request.id, ok: true, value: request.n * 2 };
    setTimeout(() => parentPort.postMessage(reply), request.delay ?? 0);
});
`;

type Request = { op: 'double' | 'fail' | 'crash' | 'hang' | 'spin'; n?: number; delay?: number };

function rpc(): { rpc: WorkerRpc<Request>; started: () => number } {
    let started = 0;
    const client = new WorkerRpc<Request>({
        start: () => {
            started++;
            return new Worker(WORKER, { eval: true });
        },
        crashError: (reason) => new Error(`the test worker stopped: ${reason.message}`),
    });
    return { rpc: client, started: () => started };
}

describe('WorkerRpc', () => {
    it('starts the worker on the first call and matches answers to calls by id, whatever their order', async () => {
        const { rpc: client, started } = rpc();
        expect(started()).toBe(0);
        const slow = client.call<number>({ op: 'double', n: 1, delay: 50 });
        const fast = client.call<number>({ op: 'double', n: 2 });
        await expect(fast).resolves.toBe(4);
        await expect(slow).resolves.toBe(2);
        await expect(client.call({ op: 'fail' })).rejects.toThrow('asked to fail');
        expect(started()).toBe(1);
        expect(client.threadId).toBeGreaterThan(0);
        await client.dispose('closed by the test');
        expect(client.threadId).toBeUndefined();
    });

    it('fails every pending call when the worker dies, and starts a new worker on the next call', async () => {
        const { rpc: client, started } = rpc();
        // Both expectations are attached before the crash settles them, so neither rejection goes unhandled.
        const pending = expect(client.call({ op: 'hang' })).rejects.toThrow('the test worker stopped: exit code 3');
        const crash = expect(client.call({ op: 'crash' })).rejects.toThrow('the test worker stopped: exit code 3');
        await Promise.all([pending, crash]);
        await expect(client.call<number>({ op: 'double', n: 5 })).resolves.toBe(10);
        expect(started()).toBe(2);
        await client.dispose('closed by the test');
    });

    describe('deadlines', () => {
        afterEach(() => {
            vi.useRealTimers();
        });
        const deadline = { ms: 5000, error: () => new Error('took longer than 5 s') };

        it('fails a call stuck past its deadline, ends the stuck worker, and answers the next call from a new one', async () => {
            vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
            const { rpc: client, started } = rpc();
            const stuck = expect(client.call({ op: 'spin' }, deadline)).rejects.toThrow('took longer than 5 s');
            const other = expect(client.call({ op: 'hang' })).rejects.toThrow(
                'the test worker stopped: a call ran past its 5000 ms deadline',
            );
            const stuckThread = client.threadId;
            vi.advanceTimersByTime(4999);
            expect(client.threadId).toBe(stuckThread); // not yet: the deadline is not reached
            vi.advanceTimersByTime(1);
            await Promise.all([stuck, other]);
            expect(client.threadId).toBeUndefined();
            vi.useRealTimers();
            await expect(client.call<number>({ op: 'double', n: 4 }, deadline)).resolves.toBe(8);
            expect(started()).toBe(2);
            await client.dispose('closed by the test');
        });

        it('leaves the worker running when the call is answered in time', async () => {
            vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
            const { rpc: client, started } = rpc();
            await expect(client.call<number>({ op: 'double', n: 3 }, deadline)).resolves.toBe(6);
            const thread = client.threadId;
            vi.advanceTimersByTime(60_000); // the answered call's timer was cleared: nothing fires
            expect(client.threadId).toBe(thread);
            vi.useRealTimers();
            await expect(client.call<number>({ op: 'double', n: 5 })).resolves.toBe(10);
            expect(started()).toBe(1);
            await client.dispose('closed by the test');
        });
    });

    it('fails pending calls with the reason when disposed', async () => {
        const { rpc: client } = rpc();
        const pending = expect(client.call({ op: 'hang' })).rejects.toThrow('the reader was closed');
        await client.dispose('the reader was closed');
        await pending;
    });
});
