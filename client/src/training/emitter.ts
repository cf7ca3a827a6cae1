/** A typed event with disposable subscriptions (vscode.EventEmitter's shape, without vscode). */
export type Listener<T> = (value: T) => void;

export class Emitter<T> {
    private listeners: Listener<T>[] = [];
    on(listener: Listener<T>): { dispose(): void } {
        this.listeners.push(listener);
        return {
            dispose: () => {
                this.listeners = this.listeners.filter((l) => l !== listener);
            },
        };
    }
    fire(value: T): void {
        for (const l of [...this.listeners]) l(value);
    }
    clear(): void {
        this.listeners = [];
    }
}
