// What the e2e scenarios read from the panels of the workbench: a webview's own DOM, the editor line the
// debugger marks as the current stack frame, a status bar item.
import type { FrameLocator, Locator, Page } from 'playwright-core';

/**
 * The content of the one webview panel on screen (VS Code nests it: an outer iframe per panel, the extension's
 * document in its `active-frame`). Scenarios close other webview panels first, so there is exactly one.
 */
export function webview(page: Page): FrameLocator {
    return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The editor of the group whose active tab is `fileName` (a webview beside it may hold the focus). */
export function editorOf(page: Page, fileName: string): Locator {
    return page
        .locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: fileName }) })
        .locator('.monaco-editor')
        .first();
}

/**
 * The 1-based line number the debugger highlights as the top stack frame in `editor`, or undefined while none is.
 * Monaco draws line decorations and line numbers in two layers whose rows share their `top`: the number is read
 * from the gutter row at the decorated row's height.
 */
export async function stackFrameLine(editor: Locator): Promise<number | undefined> {
    return editor.evaluate((root) => {
        const decoration = root.querySelector('.view-overlays .debug-top-stack-frame-line');
        const top = (decoration?.parentElement as HTMLElement | null)?.style.top;
        if (!top) return undefined;
        const gutter = [...root.querySelectorAll<HTMLElement>('.margin-view-overlays > div')].find(
            (row) => row.style.top === top,
        );
        const number = Number(gutter?.querySelector('.line-numbers')?.textContent?.trim());
        return Number.isInteger(number) && number > 0 ? number : undefined;
    });
}
