import type { RolloutSummary, RunHeads } from '../../protocol/trajectory-messages.js';
import { element } from '../common/dom.js';
import { StepList } from './step-list.js';

export interface NavSelection {
    step: number;
    group: number;
    rollout: number;
}

type Select = HTMLElement & { value: string; updateComplete?: Promise<unknown> };

/**
 * One labelled `vscode-single-select`. Replacing its options and setting its value in the same task does not stick:
 * the element reads new options on `slotchange` (after the current task) and then selects the first one. So the
 * value is set again once the new options are in (next frame, then the element's render), unless a later call has
 * asked for another value meanwhile.
 */
class Picker {
    readonly root: HTMLElement;
    readonly control: Select;
    private requested = '';

    constructor(label: string, onChange: (value: string) => void) {
        this.control = document.createElement('vscode-single-select') as Select;
        this.control.setAttribute('aria-label', label);
        this.control.addEventListener('change', () => onChange(this.control.value));
        this.root = element('label', { className: 'nav-field' }, element('span', { text: label }), this.control);
    }

    set value(value: string) {
        this.requested = value;
        this.control.value = value;
    }

    async setOptions(options: { value: string; label: string }[], value: string): Promise<void> {
        this.control.replaceChildren(
            ...options.map((o) => element('vscode-option' as 'option', { text: o.label, attrs: { value: o.value } })),
        );
        this.value = value;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await this.control.updateComplete;
        if (this.requested === value && this.control.value !== value) this.control.value = value;
    }
}

/**
 * Step list → group → rollout pickers, and "Debug this rollout". Calls `onPick` with the new selection (the rollout
 * to open) and `onDebug` with the rollout on screen. The open message carries step heads and the opened step's
 * rollouts only (issue 15 item 6): the rollouts of another step are asked for with `onNeedStep` when that step is
 * opened (from the list, a dashboard jump, the debugger, a restored state) and kept here per step once they arrive.
 */
export class Navigator {
    readonly element: HTMLElement;
    private readonly step;
    private readonly group;
    private readonly rollout;
    private run: RunHeads | undefined;
    /** The rollouts of the steps the view has (the opened one, and those asked for since), by step. */
    private readonly rollouts = new Map<number, RolloutSummary[]>();
    /** Steps asked for and not yet answered; and the step the user picked while its rollouts were on their way. */
    private readonly asked = new Set<number>();
    private pendingPick: number | undefined;
    private current: NavSelection | undefined;

    constructor(
        private readonly onPick: (selection: NavSelection) => void,
        onDebug: (selection: NavSelection) => void,
        private readonly onNeedStep: (step: number) => void,
    ) {
        this.step = new StepList((step) => this.pick(step, undefined, undefined));
        this.group = new Picker('Group', (v) => this.pick(this.current?.step ?? 0, Number(v), undefined));
        this.rollout = new Picker('Rollout', (v) =>
            this.pick(this.current?.step ?? 0, this.current?.group ?? 0, Number(v)),
        );
        const debug = element('vscode-button' as 'button', {
            text: 'Debug this rollout',
            title: 'Step through this rollout in the debugger (and save it as a launch configuration)',
            attrs: { id: 'debug-rollout' },
        });
        debug.addEventListener('click', () => {
            if (this.current) onDebug(this.current);
        });
        this.element = element(
            'div',
            { className: 'nav' },
            this.step.element,
            element('div', { className: 'nav-pickers' }, this.group.root, this.rollout.root, debug),
        );
    }

    setRun(run: RunHeads): void {
        this.run = run;
        this.rollouts.clear();
        this.asked.clear();
        this.pendingPick = undefined;
        if (run.opened) this.rollouts.set(run.opened.step, run.opened.rollouts);
        this.step.setSteps(run.steps);
    }

    /**
     * The host's answer to `onNeedStep` (null: the run has no such step). Completes a pick the user made meanwhile,
     * or fills the pickers of the step on screen.
     */
    setStepRollouts(step: number, rollouts: RolloutSummary[] | null): void {
        if (!this.asked.delete(step)) return; // Not asked for (a late answer for a run since replaced): ignored.
        if (rollouts === null) {
            if (this.pendingPick === step) this.pendingPick = undefined;
            return;
        }
        this.rollouts.set(step, rollouts);
        if (this.pendingPick === step) {
            this.pendingPick = undefined;
            this.pick(step, undefined, undefined);
        } else if (this.current?.step === step) void this.show(this.current);
    }

    /** The rollouts of a step the view has; otherwise undefined, and the host is asked for them (once). */
    private stepRollouts(step: number): RolloutSummary[] | undefined {
        const known = this.rollouts.get(step);
        if (known || this.asked.has(step) || !this.run?.steps.some((s) => s.step === step)) return known;
        this.asked.add(step);
        this.onNeedStep(step);
        return undefined;
    }

    /**
     * Shows a selection made elsewhere (debugger, restored state, group table) without re-opening it. The promise
     * settles once the pickers display it.
     */
    async show(selection: NavSelection): Promise<void> {
        this.current = selection;
        this.step.select(selection.step);
        const rollouts = this.stepRollouts(selection.step);
        if (!rollouts) return; // Shown again when the step's rollouts arrive (setStepRollouts).
        const groups = [...new Set(rollouts.map((r) => r.group))].sort((a, b) => a - b);
        await Promise.all([
            this.group.setOptions(
                groups.map((g) => ({ value: String(g), label: `group ${g}` })),
                String(selection.group),
            ),
            this.rollout.setOptions(
                rollouts
                    .filter((r) => r.group === selection.group)
                    .map((r) => ({
                        value: String(r.rollout),
                        label: `rollout ${r.rollout} · reward ${r.reward.toFixed(3)}${r.success ? ' ✓' : ''}`,
                    })),
                String(selection.rollout),
            ),
        ]);
    }

    /** The first rollout matching the given prefix of the selection. */
    private pick(stepNumber: number, groupNumber: number | undefined, rolloutNumber: number | undefined): void {
        const rollouts = this.stepRollouts(stepNumber);
        if (!rollouts) {
            // Opened once its rollouts arrive; the list already marks the step as the one asked for.
            if (this.asked.has(stepNumber)) this.pendingPick = stepNumber;
            return;
        }
        if (rollouts.length === 0) return;
        this.pendingPick = undefined;
        const inGroup = groupNumber === undefined ? rollouts : rollouts.filter((r) => r.group === groupNumber);
        const chosen = inGroup.find((r) => r.rollout === rolloutNumber) ?? inGroup[0] ?? rollouts[0]!;
        const selection = { step: stepNumber, group: chosen.group, rollout: chosen.rollout };
        void this.show(selection);
        this.onPick(selection);
    }
}
