import { AstUtils, GrammarUtils, type ValidationAcceptor } from 'langium';
import {
    isIdValue,
    isListValue,
    isMasFile,
    isMethodCall,
    isModel,
    isNumberValue,
    type MethodCall,
    type Train,
} from '../generated/ast.js';
import { methodInfo } from '../../../../protocol/credit.js';
import { ALGORITHMS, EXACT_SHAPLEY_AGENT_LIMIT } from '../catalog/training-catalog.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import { algorithmCall, trainBodyStart } from './train-queries.js';

/** Permutations the "sample Shapley" fix asks for: enough for stable credits, cheap enough per step. */
const SHAPLEY_SAMPLES_FIX = 64;

function numberArg(call: MethodCall | undefined, name: string): number | undefined {
    const value = call?.args.find((arg) => arg.name === name)?.value;
    return isNumberValue(value) ? value.value : undefined;
}

/** The GRPO group size in effect: `grpo(group: n)` or the catalogue's default. */
function groupSize(train: Train): number {
    const fallback = ALGORITHMS[0]?.parameters.find((p) => p.name === 'group')?.default;
    return numberArg(algorithmCall(train), 'group') ?? (typeof fallback === 'number' ? fallback : 8);
}

/**
 * Settings that only make sense together: GRPO's group against the credit method's needs
 * (counterfactual fan-out, exact Shapley's cost, a critic model for critic or value-assisted C3 credit) and the two
 * ways to give `kl`.
 */
export function checkCreditConsistency(train: Train, agentCount: number, accept: ValidationAcceptor): void {
    const algorithm = algorithmCall(train);
    const group = groupSize(train);
    if (group === 1) {
        const groupArg = algorithm?.args.find((arg) => arg.name === 'group');
        report(
            accept,
            'error',
            IssueCodes.GroupTooSmall,
            'GRPO compares each rollout with the others of its group, so `group` must be at least 2 (one rollout has no advantage to learn from); use for example `group: 8`.',
            groupArg ? { node: groupArg, property: 'value' } : { node: train, keyword: 'train' },
        );
    }
    checkKl(train, algorithm, accept);
    const creditSetting = train.settings.find((setting) => setting.key === 'credit');
    const credit = isMethodCall(creditSetting?.value) ? creditSetting.value : undefined;
    if (!credit || !creditSetting) return;
    const needs = methodInfo(credit.name)?.capabilities;
    if (needs?.needsTree) {
        const fanoutArg = credit.args.find((arg) => arg.name === 'fanout');
        const fanout = isListValue(fanoutArg?.value) ? fanoutArg.value.items : undefined;
        if (!fanoutArg || !fanout || fanout.length === 0 || fanout.some((n) => !Number.isInteger(n) || n < 1)) return;
        const product = fanout.reduce((total, n) => total * n, 1);
        if (product !== group) {
            const fix = setGroupFix(train, product);
            report(
                accept,
                'error',
                IssueCodes.FanoutMismatch,
                `Counterfactual rollouts form a tree whose leaves are the group, so the fan-out product (${fanout.join(' × ')} = ${product}) must equal the GRPO group (${group}); set \`group: ${product}\` or change the fan-out.`,
                { node: fanoutArg, property: 'value' },
                fix ? [fix] : [],
            );
        }
        if (fanout.length > agentCount) {
            report(
                accept,
                'error',
                IssueCodes.FanoutTooLong,
                `The fan-out lists ${fanout.length} branching levels, but the workflow has only ${agentCount} agent${agentCount === 1 ? '' : 's'} to branch at; give at most ${agentCount} numbers.`,
                { node: fanoutArg, property: 'value' },
            );
        } else if (fanout.length < agentCount) {
            // C3 gives a node without siblings (fan-out 1) an advantage of 0: those agents would never learn.
            report(
                accept,
                'warning',
                IssueCodes.FanoutTooShort,
                `The fan-out covers ${fanout.length} of the ${agentCount} agents: turns after the ${fanout.length === 1 ? 'first' : `first ${fanout.length}`} never branch, so counterfactual credit gives them 0 and those agents do not learn; give one number per agent in graph order (use 1 only for agents that should not train).`,
                { node: fanoutArg, property: 'value' },
            );
        }
    }
    const shapleyMode = credit.args.find((arg) => arg.name === 'mode')?.value;
    const forcedExact = isIdValue(shapleyMode) && shapleyMode.value === 'exact';
    const forcedSampled = isIdValue(shapleyMode) && shapleyMode.value === 'sampled';
    if (
        needs?.coalitionReruns &&
        agentCount > EXACT_SHAPLEY_AGENT_LIMIT &&
        !forcedSampled &&
        (forcedExact || numberArg(credit, 'samples') === undefined)
    ) {
        const range = credit.$cstNode?.range;
        const consequence = forcedExact
            ? 'which is slow'
            : `so the trainer samples ${SHAPLEY_SAMPLES_FIX} agent orders instead (the default)`;
        report(
            accept,
            'warning',
            IssueCodes.ExactShapleyTooLarge,
            `Exact Shapley credit over ${agentCount} agents re-runs ${2 ** agentCount - 1} coalitions per rollout, ${consequence}; say how many agent orders to sample with \`${credit.name}(samples: ${SHAPLEY_SAMPLES_FIX})\`.`,
            { node: credit },
            range
                ? [
                      {
                          title: `Sample ${SHAPLEY_SAMPLES_FIX} permutations: \`${credit.name}(samples: ${SHAPLEY_SAMPLES_FIX})\``,
                          edits: [{ range, newText: `${credit.name}(samples: ${SHAPLEY_SAMPLES_FIX})` }],
                          preferred: true,
                      },
                  ]
                : [],
        );
    }
    const valueAssisted =
        needs?.needsTree === true &&
        credit.args.some(
            (arg) => arg.name === 'variant' && isIdValue(arg.value) && arg.value.value === 'value_assisted',
        );
    const alphaArg = credit.args.find((arg) => arg.name === 'alpha');
    if (needs?.needsTree && alphaArg && !valueAssisted) {
        // The trainer would silently run reward-only credit: say so where the user expected the critic to count.
        const hasVariant = credit.args.some((arg) => arg.name === 'variant');
        const open = hasVariant ? undefined : GrammarUtils.findNodeForKeyword(credit.$cstNode, '(')?.range.end;
        report(
            accept,
            'warning',
            IssueCodes.AlphaWithoutValueAssisted,
            "`alpha` weighs the critic's Q in C3's baseline, which only `variant: value_assisted` reads; with `reward_only` (the default) it changes nothing. Add `variant: value_assisted` (with `critic: <model>`) or remove `alpha`.",
            { node: alphaArg, property: 'name' },
            open
                ? [
                      {
                          title: 'Use value-assisted C3 credit: add `variant: value_assisted`',
                          edits: [{ range: { start: open, end: open }, newText: 'variant: value_assisted, ' }],
                          preferred: true,
                      },
                  ]
                : [],
        );
    }
    if ((needs?.needsCritic || valueAssisted) && !train.critic) {
        const fix = addCriticFix(train);
        report(
            accept,
            'error',
            IssueCodes.MissingCritic,
            valueAssisted
                ? "`counterfactual(variant: value_assisted)` (C3's paper default) takes each tree node's Q from a critic, but the train block names none; add `critic: <model>` (a model declared with `model`; C3 starts its critic from the policy's base model) or use `variant: reward_only`."
                : '`critic` credit learns a value model, but the train block names none; add `critic: <model>` (a model declared with `model`).',
            { node: creditSetting, property: 'value' },
            fix ? [fix] : [],
        );
    }
}

/** "Add `critic: <model>`" when the file declares exactly one model (then there is no choice to make). */
function addCriticFix(train: Train): QuickFix | undefined {
    const file = AstUtils.getContainerOfType(train, isMasFile);
    const models = file?.elements.filter(isModel) ?? [];
    const start = trainBodyStart(train);
    if (models.length !== 1 || !start) return undefined;
    const name = models[0]!.name;
    return {
        title: `Add \`critic: ${name}\` to the train block`,
        edits: [{ range: { start, end: start }, newText: `\n  critic: ${name}` }],
        preferred: true,
    };
}

function checkKl(train: Train, algorithm: MethodCall | undefined, accept: ValidationAcceptor): void {
    const inAlgorithm = numberArg(algorithm, 'kl');
    const setting = train.settings.find((candidate) => candidate.key === 'kl');
    const direct = isNumberValue(setting?.value) ? setting.value.value : undefined;
    if (setting && inAlgorithm !== undefined && direct !== undefined && inAlgorithm !== direct) {
        report(
            accept,
            'error',
            IssueCodes.ConflictingKl,
            `The KL weight is given twice with different values (\`kl: ${direct}\` and \`grpo(kl: ${inAlgorithm})\`); keep one of them.`,
            { node: setting, property: 'value' },
        );
    }
}

/** "Set group to N": rewrites `group:`, or adds it to the `grpo(...)` call, or adds the algorithm setting. */
function setGroupFix(train: Train, group: number): QuickFix | undefined {
    const title = `Set the GRPO group to ${group}`;
    const algorithm = algorithmCall(train);
    const groupValue = algorithm?.args.find((arg) => arg.name === 'group')?.value?.$cstNode?.range;
    if (groupValue) return { title, edits: [{ range: groupValue, newText: String(group) }], preferred: true };
    if (algorithm?.hasArgs) {
        const open = GrammarUtils.findNodeForKeyword(algorithm.$cstNode, '(')?.range.end;
        const text = algorithm.args.length > 0 ? `group: ${group}, ` : `group: ${group}`;
        return open
            ? { title, edits: [{ range: { start: open, end: open }, newText: text }], preferred: true }
            : undefined;
    }
    if (algorithm) {
        const end = GrammarUtils.findNodeForProperty(algorithm.$cstNode, 'name')?.range.end;
        return end
            ? { title, edits: [{ range: { start: end, end }, newText: `(group: ${group})` }], preferred: true }
            : undefined;
    }
    const start = trainBodyStart(train);
    return start
        ? {
              title,
              edits: [{ range: { start, end: start }, newText: `\n  algorithm: grpo(group: ${group})` }],
              preferred: true,
          }
        : undefined;
}
