/**
 * The one HTML builder for every MAS webview (DESIGN.md §6). The page is a fixed shell: a strict Content
 * Security Policy whose only script source is a per-load nonce, the view's bundle and stylesheet, and an
 * empty #app. No data is ever put in the HTML; the view gets it by postMessage after its ready handshake.
 * Free of `vscode` imports so the browser tests load pages built by this very function.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewPage {
    /** `webview.cspSource`: the origin the bundle is served from. */
    cspSource: string;
    nonce: string;
    scriptUri: string;
    styleUri: string;
    /** Fixed text chosen by the extension (never user data); escaped anyway. */
    title: string;
}

/** 128 random bits, fresh for every page load. */
export function createNonce(): string {
    return randomBytes(16).toString('hex');
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;',
};

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ATTRIBUTE_ESCAPES[c]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
    return [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        // uPlot and the vscode-elements components set styles from script (CSSOM), which style-src allows.
        `style-src ${cspSource} 'nonce-${nonce}'`,
        `font-src ${cspSource}`,
        `img-src ${cspSource} data:`,
    ].join('; ');
}

export function webviewHtml(page: WebviewPage): string {
    if (!/^[0-9a-f]{32}$/.test(page.nonce)) throw new Error('webviewHtml: the nonce must come from createNonce()');
    const attr = (value: string) => escapeHtml(value);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(page.styleUri)}" nonce="${page.nonce}">
<title>${escapeHtml(page.title)}</title>
</head>
<body>
<main id="app"></main>
<script src="${attr(page.scriptUri)}" nonce="${page.nonce}"></script>
</body>
</html>
`;
}
