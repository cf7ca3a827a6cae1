import type { Page } from 'playwright-core';
import type { RunReader } from '../../analysis/run-dir/service.js';
import { TrajectoryController, type ControllerOptions } from '../../client/src/views/trajectory/controller.js';
import { parseTrajectoryToHost } from '../../client/src/views/trajectory/messages.js';
import type { TrajectoryToView } from '../../protocol/trajectory-messages.js';
import type { ViewPage } from './browser-harness.js';

/**
 * Connects a trajectory page to a real TrajectoryController, as the panel host does: messages the page posts go
 * through the host's own parser to the controller, and what the controller posts is delivered to the page. Every
 * delivered message is counted so tests wait on the message they expect, never on time.
 */
export async function connectHost(
    view: ViewPage,
    reader: RunReader,
    root: string,
    extra: Pick<ControllerOptions, 'critic' | 'loadRubric' | 'onDebugRollout'> = {},
): Promise<{
    controller: TrajectoryController;
    delivered: (type: TrajectoryToView['type'], count: number) => Promise<void>;
}> {
    const page: Page = view.page;
    let chain = Promise.resolve();
    const controller = new TrajectoryController({
        reader,
        root,
        ...extra,
        post: (message) => {
            chain = chain.then(() => view.send(message));
        },
    });
    await page.exposeFunction('__toHost', async (raw: unknown) => {
        const message = parseTrajectoryToHost(raw);
        if (message) await controller.handle(message);
    });
    await page.evaluate(() => {
        const w = window as unknown as {
            __posted: unknown[];
            __toHost: (m: unknown) => void;
            __received: Record<string, number>;
        };
        w.__received = {};
        window.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
            const type = e.data?.type ?? '?';
            w.__received[type] = (w.__received[type] ?? 0) + 1;
        });
        const push = w.__posted.push.bind(w.__posted);
        w.__posted.push = (...items: unknown[]) => {
            items.forEach((m) => w.__toHost(m));
            return push(...items);
        };
        for (const m of [...w.__posted]) w.__toHost(m);
    });
    return {
        controller,
        delivered: (type, count) =>
            page
                .waitForFunction(
                    ([t, n]) =>
                        ((window as unknown as { __received: Record<string, number> }).__received[t as string] ?? 0) >=
                        (n as number),
                    [type, count] as const,
                )
                .then(() => undefined),
    };
}
