import { createHash } from 'node:crypto';
import { REPORT_DATA_ELEMENT } from '../../../protocol/report-data.js';

/** The built browser code a report inlines: the trajectory view and the shim that stands in for VS Code. */
export interface ReportAssets {
    viewScript: string;
    viewStyle: string;
    shimScript: string;
    shimStyle: string;
}

/**
 * Escapes JSON for a `<script type="application/json">` element: `<`, `>` and `&` become \u escapes, so no
 * `</script>` or `<!--` in model output can end or change the element, and U+2028/U+2029 are escaped too, so the
 * text is also a valid JavaScript literal. JSON.parse turns every escape back into the original character.
 */
export function escapeJsonForHtml(json: string): string {
    return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Inline code must not contain what ends its element early or changes how the HTML parser reads it. esbuild
 * already escapes `</script` in string literals; this check keeps a future bundle from silently breaking a report.
 */
function checkInline(kind: 'script' | 'style', name: string, text: string): string {
    const closing = kind === 'script' ? /<\/script|<!--|<script/i : /<\/style/i;
    const match = closing.exec(text);
    if (match)
        throw new Error(
            `the built ${name} contains "${match[0]}" and cannot be inlined into a report; rebuild it (npm run build) or report this bug.`,
        );
    // The source map is not shipped with the report; drop the comment that points to it.
    return text.replace(/\n?\/[/*]# sourceMappingURL=[^\n]*\s*$/, '\n');
}

/** Only inline code whose hash is listed may run or style the page; nothing may be loaded from anywhere. */
export function reportCsp(scripts: readonly string[], styles: readonly string[]): string {
    return [
        "default-src 'none'",
        `script-src ${scripts.map(sha256).join(' ')}`,
        // The vscode-elements components style themselves from script (constructable sheets), which style-src allows.
        `style-src ${styles.map(sha256).join(' ')}`,
        // The components' CSS carries a data: image (select arrow).
        'img-src data:',
        "base-uri 'none'",
        "form-action 'none'",
    ].join('; ');
}

/**
 * One self-contained page: CSP, the inlined styles, the data as inert JSON, the shim (which reads that JSON and
 * answers the view's messages), then the view. No run data is ever placed in markup: the page shell is fixed text.
 */
export function reportHtml(assets: ReportAssets, dataJson: string): string {
    const shimStyle = checkInline('style', 'report shim stylesheet', assets.shimStyle);
    const viewStyle = checkInline('style', 'trajectory stylesheet', assets.viewStyle);
    const shimScript = checkInline('script', 'report shim', assets.shimScript);
    const viewScript = checkInline('script', 'trajectory view', assets.viewScript);
    const csp = reportCsp([shimScript, viewScript], [viewStyle, shimStyle]);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="mas report">
<title>MAS trajectory report</title>
<style>${viewStyle}</style>
<style>${shimStyle}</style>
<script type="application/json" id="${REPORT_DATA_ELEMENT}">${escapeJsonForHtml(dataJson)}</script>
<script>${shimScript}</script>
</head>
<body>
<main id="app"></main>
<script>${viewScript}</script>
</body>
</html>
`;
}
