/**
 * Things released together: the context object keeps one scope for the extension's lifetime and one for the
 * language client's (rust-analyzer's ctx.ts has the same two). Released last-acquired first, each awaited, so
 * the language client has stopped before the output channel it writes to is gone.
 */
export interface Releasable {
    dispose(): unknown;
}

export class DisposableScope {
    private readonly items: Releasable[] = [];

    /** Adds `item` (returned, for `const x = scope.push(create())`). */
    push<T extends Releasable>(item: T): T {
        this.items.push(item);
        return item;
    }

    pushAll(items: readonly Releasable[]): void {
        this.items.push(...items);
    }

    async dispose(): Promise<void> {
        for (const item of this.items.splice(0).reverse()) await item.dispose();
    }
}
