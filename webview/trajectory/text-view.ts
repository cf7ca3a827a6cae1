import { element } from '../common/dom.js';
import { VirtualList } from '../common/virtual-list.js';
import { displayLines } from './format.js';

const LINE_HEIGHT = 17;

/**
 * A long text (a prompt, a model output) shown as text in a virtualised, fixed-height box: a 10 MB output keeps
 * only the visible lines in the DOM. Model output is untrusted: it is only ever set as textContent.
 */
export class TextView {
    readonly element: HTMLElement;
    private lines: string[] = [];
    private readonly list: VirtualList;

    private readonly label: HTMLElement;

    constructor(label: string) {
        this.list = new VirtualList(
            LINE_HEIGHT,
            (i) => element('div', { className: 'text-line', text: this.lines[i] ?? '' }),
            'text-view',
        );
        this.label = element('div', { className: 'text-label', text: label });
        this.element = element('div', { className: 'text-block' }, this.label, this.list.element);
    }

    setLabel(label: string): void {
        this.label.textContent = label;
    }

    setText(text: string): void {
        this.lines = displayLines(text);
        this.list.element.style.height = `${Math.min(12, Math.max(1, this.lines.length)) * LINE_HEIGHT + 4}px`;
        this.list.setCount(this.lines.length);
        this.list.element.scrollTop = 0;
    }

    get renderedRows(): number {
        return this.list.renderedRows;
    }
}
