import type { StepHead } from '../../protocol/trajectory-messages.js';
import { element } from '../common/dom.js';
import { VirtualList } from '../common/virtual-list.js';

const ROW_HEIGHT = 22;
const PAGE = 10;

type TextField = HTMLElement & { value: string };

/** `0.734`, or `–` where the host had no number (a step without rollouts; NaN arrives as null from a report's JSON). */
const fixed = (value: unknown, digits: number): string =>
    typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';

/**
 * The step control: a searchable list of the run's steps, newest first, each with its mean reward and success rate.
 * The list is virtualised (only the rows in view exist), so a run of 10 000 steps renders a few dozen rows. Keyboard:
 * the search field takes a step number (Enter opens it, or the nearest recorded step); in the list, ↑ ↓ PageUp
 * PageDown Home End move, Enter or Space opens. A click opens the row.
 */
export class StepList {
    readonly element: HTMLElement;
    private readonly search = document.createElement('vscode-textfield') as TextField;
    private readonly list: VirtualList;
    private readonly status = element('span', { className: 'hint step-status', attrs: { 'aria-live': 'polite' } });
    /** Steps, newest first. */
    private steps: StepHead[] = [];
    /** Indices into `steps` that match the search. */
    private shown: number[] = [];
    /** The step on screen, and the row the keyboard is on (an index into `shown`). */
    private selected: number | undefined;
    private active = 0;

    constructor(private readonly onPick: (step: number) => void) {
        this.list = new VirtualList(ROW_HEIGHT, (i) => this.row(i), 'step-list');
        const list = this.list.element;
        list.setAttribute('role', 'listbox');
        list.setAttribute('aria-label', 'Steps, newest first');
        list.addEventListener('keydown', (e) => this.onListKey(e));
        list.addEventListener('click', (e) => {
            const row = (e.target as HTMLElement).closest<HTMLElement>('[data-step]');
            if (row) this.open(Number(row.dataset['step']));
        });
        this.search.setAttribute('aria-label', 'Go to step');
        this.search.setAttribute('placeholder', 'Go to step…');
        this.search.setAttribute('type', 'text');
        this.search.addEventListener('input', () => this.filter());
        this.search.addEventListener('keydown', (e) => {
            if (e.key === 'Enter') this.openTyped();
            else if (e.key === 'ArrowDown') {
                e.preventDefault();
                list.focus();
            }
        });
        this.element = element(
            'div',
            { className: 'step-picker' },
            element('span', { className: 'step-picker-title', text: 'Step' }),
            this.search,
            this.status,
            list,
        );
    }

    setSteps(steps: StepHead[]): void {
        this.steps = [...steps].sort((a, b) => b.step - a.step);
        this.search.value = '';
        this.filter();
    }

    /** Shows the step opened elsewhere (debugger, restored state, a click) without opening it again. */
    select(step: number): void {
        this.selected = step;
        const at = this.shown.findIndex((i) => this.steps[i]!.step === step);
        if (at >= 0) this.moveTo(at);
        else this.list.refresh();
    }

    private filter(): void {
        const text = String(this.search.value ?? '').trim();
        const all = this.steps.map((_, i) => i);
        const matching = text ? all.filter((i) => String(this.steps[i]!.step).startsWith(text)) : all;
        // A number no step starts with keeps the whole list: Enter then opens the nearest recorded step.
        this.shown = matching.length > 0 ? matching : all;
        const exact = this.shown.findIndex((i) => String(this.steps[i]!.step) === text);
        const selected = this.shown.findIndex((i) => this.steps[i]!.step === this.selected);
        this.status.textContent = !text
            ? `${this.steps.length} steps`
            : matching.length === 0
              ? `no step starts with ${text}; Enter opens the nearest`
              : `${matching.length} of ${this.steps.length} steps`;
        this.list.setCount(this.shown.length);
        this.moveTo(exact >= 0 ? exact : selected >= 0 ? selected : 0);
    }

    private openTyped(): void {
        const text = String(this.search.value ?? '').trim();
        const wanted = Number(text);
        if (!text || !Number.isFinite(wanted)) {
            const step = this.steps[this.shown[this.active] ?? -1];
            if (step) this.open(step.step);
            return;
        }
        let nearest: StepHead | undefined;
        for (const s of this.steps)
            if (!nearest || Math.abs(s.step - wanted) < Math.abs(nearest.step - wanted)) nearest = s;
        if (nearest) this.open(nearest.step);
    }

    private onListKey(e: KeyboardEvent): void {
        const moves: Record<string, number> = {
            ArrowDown: 1,
            ArrowUp: -1,
            PageDown: PAGE,
            PageUp: -PAGE,
            Home: -Infinity,
            End: Infinity,
        };
        const move = moves[e.key];
        if (move !== undefined) {
            e.preventDefault();
            this.moveTo(Math.max(0, Math.min(this.shown.length - 1, this.active + move)));
        } else if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            const step = this.steps[this.shown[this.active] ?? -1];
            if (step) this.open(step.step);
        }
    }

    private moveTo(index: number): void {
        this.active = Math.max(0, Math.min(this.shown.length - 1, index));
        this.list.scrollToIndex(this.active);
        const step = this.steps[this.shown[this.active] ?? -1];
        if (step) this.list.element.setAttribute('aria-activedescendant', `step-row-${step.step}`);
        else this.list.element.removeAttribute('aria-activedescendant');
    }

    private open(step: number): void {
        this.selected = step;
        const at = this.shown.findIndex((i) => this.steps[i]!.step === step);
        if (at >= 0) this.moveTo(at);
        this.list.refresh();
        this.onPick(step);
    }

    private row(index: number): HTMLElement {
        const step = this.steps[this.shown[index]!]!;
        const selected = step.step === this.selected;
        const classes = ['step-row', selected ? 'selected' : '', index === this.active ? 'active' : ''];
        return element(
            'div',
            {
                className: classes.filter(Boolean).join(' '),
                attrs: {
                    role: 'option',
                    id: `step-row-${step.step}`,
                    'aria-selected': String(selected),
                    'data-step': String(step.step),
                },
            },
            element('span', { className: 'step-number', text: `step ${step.step}` }),
            element('span', { className: 'step-reward', text: `reward ${fixed(step.meanReward, 3)}` }),
            element('span', {
                className: 'step-success',
                text: `${fixed(typeof step.successRate === 'number' ? step.successRate * 100 : NaN, 0)} % ✓ · ${step.rolloutCount} rollout${step.rolloutCount === 1 ? '' : 's'}`,
            }),
        );
    }
}
