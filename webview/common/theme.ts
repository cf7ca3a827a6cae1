/**
 * Colours come from VS Code's `--vscode-*` CSS variables, so views follow the user's theme. VS Code swaps the
 * variables and the body class (`vscode-light`, `vscode-dark`, `vscode-high-contrast`) when the theme
 * changes; `onThemeChange` lets canvas-based charts, which cannot use CSS variables, redraw.
 */

/** Series colours: VS Code's chart palette first, then other theme colours; fallbacks for a plain browser. */
const PALETTE: readonly [string, string][] = [
    ['--vscode-charts-blue', '#3794ff'],
    ['--vscode-charts-orange', '#d18616'],
    ['--vscode-charts-green', '#89d185'],
    ['--vscode-charts-purple', '#b180d7'],
    ['--vscode-charts-red', '#f14c4c'],
    ['--vscode-charts-yellow', '#cca700'],
    ['--vscode-terminal-ansiCyan', '#11a8cd'],
    ['--vscode-terminal-ansiMagenta', '#bc3fbc'],
];

export function cssVariable(name: string, fallback: string): string {
    const value = getComputedStyle(document.body).getPropertyValue(name).trim();
    return value || fallback;
}

export function seriesColour(index: number): string {
    const [name, fallback] = PALETTE[index % PALETTE.length]!;
    return cssVariable(name, fallback);
}

export function themeColours(): { foreground: string; grid: string; background: string } {
    return {
        foreground: cssVariable('--vscode-foreground', '#cccccc'),
        grid: cssVariable('--vscode-editorWidget-border', '#454545'),
        background: cssVariable('--vscode-editor-background', '#1e1e1e'),
    };
}

/** Calls `listener` when VS Code switches theme (it changes the body's class). Returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
    const observer = new MutationObserver(listener);
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
}
