// Host → webview transfer of 1 000 000 credits in Debian's Chromium: a window.postMessage into an iframe (how a
// VS Code webview receives messages) of a JSON number[] vs a Float64Array / Float32Array, timed from post to the
// iframe's message event (structured clone on both sides). Prints figures. Usage: node bench/trajectory/transfer-chromium.mjs
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
    executablePath: process.env.MAS_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox'],
});
try {
    const page = await browser.newPage();
    await page.setContent(
        "<iframe srcdoc=\"<script>addEventListener('message', e => { const v = e.data.values; parent.postMessage({ n: v.length, first: v[0] }, '*'); });</script>\"></iframe>",
    );
    await page.waitForFunction(
        () => document.querySelector('iframe')?.contentWindow?.document.readyState === 'complete',
    );
    const figures = await page.evaluate(async () => {
        const frame = document.querySelector('iframe').contentWindow;
        const credits = new Float64Array(1_000_000).map(() => Math.round((Math.random() * 2 - 1) * 1e6) / 1e6);
        const payloads = {
            'number[] (structured clone)': () => Array.from(credits),
            'JSON text (stringify + clone + parse)': null,
            Float64Array: () => credits,
            Float32Array: () => Float32Array.from(credits),
        };
        const round = (payload) =>
            new Promise((resolve) => {
                const t0 = performance.now();
                addEventListener('message', () => resolve(performance.now() - t0), { once: true });
                frame.postMessage({ values: payload }, '*');
            });
        const out = {};
        for (const [name, make] of Object.entries(payloads)) {
            const times = [];
            for (let k = 0; k < 5; k++) {
                if (make) {
                    const payload = make();
                    times.push(await round(payload));
                    continue;
                }
                const asArray = Array.from(credits);
                const t0 = performance.now();
                const text = JSON.stringify(asArray);
                const clone = await new Promise((resolve) => {
                    const c = new MessageChannel();
                    c.port2.onmessage = (e) => resolve(e.data);
                    c.port1.postMessage(text);
                });
                JSON.parse(clone);
                times.push(performance.now() - t0);
            }
            times.sort((a, b) => a - b);
            out[name] = times;
        }
        return out;
    });
    console.log(`Chromium ${browser.version()}: host → iframe postMessage of 1 000 000 credits (5 runs, ms)`);
    for (const [name, times] of Object.entries(figures))
        console.log(
            `  ${name}: median ${times[2].toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[4].toFixed(1)})`,
        );
} finally {
    await browser.close();
}
