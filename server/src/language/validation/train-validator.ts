import type { ValidationAcceptor } from 'langium';
import { isMethodCall, isNumberValue, type Train, type TrainSetting } from '../generated/ast.js';
import { ALGORITHMS, CREDIT_METHODS, TRAIN_SETTINGS } from '../catalog/training-catalog.js';
import { closestName, findMethod, type MethodInfo } from '../catalog/parameters.js';
import { checkArguments, didYouMean, didYouMeanFix, numberProblem } from './argument-checks.js';
import { checkRepeatedProperties } from './declaration-validator.js';
import { IssueCodes, type IssueCode } from './issue-codes.js';
import { report } from './report.js';
import { checkCreditConsistency } from './credit-checks.js';
import { checkStopWhen } from './stop-when-checks.js';
import { checkAttentionDevice } from './attention-device-checks.js';
import type { WorkflowContexts } from './workflow-context.js';

/** The `train` block: known settings with values of the right kind and range, consistent with each other. */
export class TrainValidator {
    constructor(private readonly contexts: WorkflowContexts) {}

    checkTrain(train: Train, accept: ValidationAcceptor): void {
        checkRepeatedProperties(train, { dataset: 'dataset', critic: 'critic' }, 'The train block', accept);
        const seen = new Set<string>();
        for (const setting of train.settings) {
            if (seen.has(setting.key)) {
                report(
                    accept,
                    'error',
                    IssueCodes.DuplicateProperty,
                    `The train block sets \`${setting.key}\` more than once (only one value can count); remove the extra \`${setting.key}:\`.`,
                    { node: setting, property: 'key' },
                );
                continue;
            }
            seen.add(setting.key);
            if (setting.key === 'algorithm')
                this.checkMethod(setting, ALGORITHMS, 'algorithm', IssueCodes.UnknownAlgorithm, accept);
            else if (setting.key === 'credit')
                this.checkMethod(setting, CREDIT_METHODS, 'credit method', IssueCodes.UnknownCredit, accept);
            else this.checkPlainSetting(setting, accept);
        }
        checkCreditConsistency(train, this.contexts.of(train)?.agents.length ?? 0, accept);
        checkStopWhen(train, this.contexts.of(train), accept);
        checkAttentionDevice(train, this.contexts.of(train), accept);
    }

    /** `algorithm:` and `credit:` name a catalogue method, with that method's arguments. */
    private checkMethod(
        setting: TrainSetting,
        methods: readonly MethodInfo[],
        what: string,
        code: IssueCode,
        accept: ValidationAcceptor,
    ): void {
        const call = setting.value;
        const names = methods.map((method) => method.name);
        if (!isMethodCall(call)) {
            report(
                accept,
                'error',
                IssueCodes.InvalidSetting,
                `\`${setting.key}\` names a ${what} (${names.join(', ')}), not a number or a list.`,
                { node: setting, property: 'value' },
            );
            return;
        }
        const method = findMethod(methods, call.name);
        if (!method) {
            const suggestion = closestName(call.name, names);
            report(
                accept,
                'error',
                code,
                `'${call.name}' is not a known ${what}; use one of ${names.join(', ')}.${didYouMean(suggestion)}`,
                { node: call, property: 'name' },
                didYouMeanFix(call, 'name', suggestion),
            );
            return;
        }
        checkArguments(call, `\`${method.name}\``, call.args, method.parameters, accept);
    }

    /** Every other setting is a number in a range, or one word of a fixed list (`device: cuda`). */
    private checkPlainSetting(setting: TrainSetting, accept: ValidationAcceptor): void {
        const info = TRAIN_SETTINGS.find((candidate) => candidate.name === setting.key);
        const value = setting.value;
        if (!info || !value) return;
        if (info.kind === 'identifier') {
            const allowed = info.values ?? [];
            const word = isMethodCall(value) && !value.hasArgs ? value.name : undefined;
            if (word !== undefined && allowed.includes(word)) return;
            const suggestion = word !== undefined ? closestName(word, allowed) : undefined;
            report(
                accept,
                'error',
                IssueCodes.InvalidSetting,
                `\`${setting.key}\` must be one of ${allowed.map((v) => `\`${v}\``).join(', ')}.${didYouMean(suggestion)}`,
                { node: setting, property: 'value' },
                isMethodCall(value) ? didYouMeanFix(value, 'name', suggestion) : [],
            );
            return;
        }
        const problem = isNumberValue(value)
            ? numberProblem(value.value, info)
            : `must be a ${info.kind === 'integer' ? 'whole number' : 'number'}.`;
        if (problem) {
            report(accept, 'error', IssueCodes.InvalidSetting, `\`${setting.key}\` ${problem}`, {
                node: setting,
                property: 'value',
            });
        }
    }
}
