// esbuild options for the webview bundles (browser code, DESIGN.md §1): out/webview/<view>.js, plus
// <view>.css when the entry imports CSS. Shared by esbuild.mjs and the browser tests (test/webview/),
// so the tests load exactly what the extension ships.

/** View name -> entry. The panel hosts (client/src/views/, mirroring webview/) load out/webview/<name>.js and .css. */
export const WEBVIEW_ENTRIES = {
    dashboard: 'webview/dashboard/main.ts',
    graph: 'webview/graph/main.ts',
    trajectory: 'webview/trajectory/main.ts',
    // Not a panel: `mas report` inlines it before trajectory.js to stand in for acquireVsCodeApi.
    'report-shim': 'webview/report/shim.ts',
};

/** @param {string} outdir @returns {import('esbuild').BuildOptions} */
export function webviewBuildOptions(outdir = 'out/webview') {
    return {
        entryPoints: WEBVIEW_ENTRIES,
        outdir,
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'chrome120',
        sourcemap: true,
        minify: true,
        logLevel: 'warning',
    };
}
