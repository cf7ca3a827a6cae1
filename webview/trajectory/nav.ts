import type { RunSummary } from '../../protocol/trajectory-messages.js';
import { element } from '../common/dom.js';

export interface NavSelection {
    step: number;
    group: number;
    rollout: number;
}

type Select = HTMLElement & { value: string };

function select(label: string, onChange: (value: string) => void): { root: HTMLElement; select: Select } {
    const control = document.createElement('vscode-single-select') as Select;
    control.setAttribute('aria-label', label);
    control.addEventListener('change', () => onChange(control.value));
    return { root: element('label', { className: 'nav-field' }, element('span', { text: label }), control), select: control };
}

function setOptions(control: Select, options: { value: string; label: string }[], value: string): void {
    control.replaceChildren(...options.map(o => {
        const option = element('vscode-option' as 'option', { text: o.label, attrs: { value: o.value } });
        return option;
    }));
    control.value = value;
}

/** Run → step → group → rollout pickers. Calls `onPick` with the new selection (the rollout to open). */
export class Navigator {
    readonly element: HTMLElement;
    private readonly step;
    private readonly group;
    private readonly rollout;
    private run: RunSummary | undefined;
    private current: NavSelection | undefined;

    constructor(private readonly onPick: (selection: NavSelection) => void) {
        this.step = select('Step', v => this.pick(Number(v), undefined, undefined));
        this.group = select('Group', v => this.pick(this.current?.step ?? 0, Number(v), undefined));
        this.rollout = select('Rollout', v => this.pick(this.current?.step ?? 0, this.current?.group ?? 0, Number(v)));
        this.element = element('div', { className: 'nav' }, this.step.root, this.group.root, this.rollout.root);
    }

    setRun(run: RunSummary): void {
        this.run = run;
        setOptions(this.step.select, run.steps.map(s => ({ value: String(s.step), label: `step ${s.step}` })), String(run.steps[0]?.step ?? ''));
    }

    /** Shows a selection made elsewhere (debugger, restored state) without re-opening it. */
    show(selection: NavSelection): void {
        this.current = selection;
        const step = this.run?.steps.find(s => s.step === selection.step);
        if (!step) return;
        this.step.select.value = String(selection.step);
        const groups = [...new Set(step.rollouts.map(r => r.group))].sort((a, b) => a - b);
        setOptions(this.group.select, groups.map(g => ({ value: String(g), label: `group ${g}` })), String(selection.group));
        setOptions(this.rollout.select, step.rollouts.filter(r => r.group === selection.group).map(r => ({
            value: String(r.rollout), label: `rollout ${r.rollout} · reward ${r.reward.toFixed(3)}${r.success ? ' ✓' : ''}`,
        })), String(selection.rollout));
    }

    /** The first rollout matching the given prefix of the selection. */
    private pick(stepNumber: number, groupNumber: number | undefined, rolloutNumber: number | undefined): void {
        const step = this.run?.steps.find(s => s.step === stepNumber);
        if (!step || step.rollouts.length === 0) return;
        const inGroup = groupNumber === undefined ? step.rollouts : step.rollouts.filter(r => r.group === groupNumber);
        const chosen = inGroup.find(r => r.rollout === rolloutNumber) ?? inGroup[0] ?? step.rollouts[0]!;
        const selection = { step: stepNumber, group: chosen.group, rollout: chosen.rollout };
        this.show(selection);
        this.onPick(selection);
    }
}
