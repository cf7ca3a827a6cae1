import { element } from './dom.js';

/**
 * A vertically virtualised list of fixed-height rows: only the rows in view (plus a margin) exist in the DOM, so
 * ten thousand turns or a 10 MB output split into lines scroll without creating ten thousand nodes.
 */
export class VirtualList {
    readonly element: HTMLElement;
    private readonly spacer: HTMLElement;
    private readonly window: HTMLElement;
    private count = 0;
    private frame = 0;

    constructor(
        private readonly rowHeight: number,
        private readonly renderRow: (index: number) => HTMLElement,
        className = 'virtual-list',
    ) {
        this.window = element('div', { className: 'virtual-window' });
        this.spacer = element('div', { className: 'virtual-spacer' }, this.window);
        this.element = element('div', { className, attrs: { tabindex: '0' } }, this.spacer);
        this.element.addEventListener('scroll', () => this.schedule());
    }

    setCount(count: number): void {
        this.count = count;
        this.spacer.style.height = `${count * this.rowHeight}px`;
        this.render();
    }

    /** Re-renders the visible rows (their content changed). */
    refresh(): void {
        this.render();
    }

    scrollToIndex(index: number): void {
        const top = index * this.rowHeight;
        const view = this.element.clientHeight || 300;
        if (top < this.element.scrollTop || top + this.rowHeight > this.element.scrollTop + view) {
            this.element.scrollTop = Math.max(0, top - view / 3);
        }
        this.render();
    }

    /** Rows currently in the DOM (for tests and measurements). */
    get renderedRows(): number {
        return this.window.childElementCount;
    }

    private schedule(): void {
        if (this.frame) return;
        this.frame = requestAnimationFrame(() => {
            this.frame = 0;
            this.render();
        });
    }

    private render(): void {
        const view = this.element.clientHeight || 300;
        const first = Math.max(0, Math.floor(this.element.scrollTop / this.rowHeight) - 5);
        const last = Math.min(this.count, Math.ceil((this.element.scrollTop + view) / this.rowHeight) + 5);
        this.window.style.transform = `translateY(${first * this.rowHeight}px)`;
        const rows: HTMLElement[] = [];
        for (let i = first; i < last; i++) {
            const row = this.renderRow(i);
            row.style.height = `${this.rowHeight}px`;
            rows.push(row);
        }
        this.window.replaceChildren(...rows);
    }
}
