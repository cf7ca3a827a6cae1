import type { CreditMethod, StopWhenSpec, TrainSpec } from '../../../protocol/run-spec.js';
import { isMethodCall, isNumberValue, type Train } from '../language/generated/ast.js';
import { ALGORITHMS, CREDIT_METHODS, TRAIN_SETTINGS } from '../language/catalog/training-catalog.js';
import { findMethod } from '../language/catalog/parameters.js';
import { catalogueDefault, numberSetting, setting, withDefaults } from '../language/catalog/defaults.js';
import { defaultRecordCredit } from '../language/catalog/record-credit.js';
import { CompileInvariantError } from './compile-expression.js';

function methodSetting(train: Train, key: string): { name: string; args: Parameters<typeof withDefaults>[0] } {
    const value = setting(train, key);
    if (value && isMethodCall(value)) return { name: value.name, args: value.args };
    return { name: catalogueDefault(TRAIN_SETTINGS, key) as string, args: [] };
}

/** The `train` block with every default of the catalogue filled in. `dataset` is chosen by the caller; `agentCount`
 *  (the workflow's agents) decides what a block without `record_credit` records (defaultRecordCredit). */
export function compileTrain(train: Train, dataset: string, agentCount: number): TrainSpec {
    const algorithm = methodSetting(train, 'algorithm');
    const algorithmInfo = findMethod(ALGORITHMS, algorithm.name);
    if (!algorithmInfo || algorithm.name !== 'grpo') {
        throw new CompileInvariantError(`The algorithm "${algorithm.name}" is unknown.`);
    }
    const algorithmParams = withDefaults(algorithm.args, algorithmInfo.parameters);
    const klGiven = algorithm.args.some((arg) => arg.name === 'kl');
    const kl = klGiven ? (algorithmParams['kl'] as number) : numberSetting(train, 'kl', TRAIN_SETTINGS);

    const credit = methodSetting(train, 'credit');
    const creditInfo = findMethod(CREDIT_METHODS, credit.name);
    if (!creditInfo) throw new CompileInvariantError(`The credit method "${credit.name}" is unknown.`);

    return {
        dataset,
        algorithm: {
            name: 'grpo',
            group: algorithmParams['group'] as number,
            clip: algorithmParams['clip'] as number,
            kl,
        },
        credit: { method: creditInfo.name as CreditMethod, params: withDefaults(credit.args, creditInfo.parameters) },
        steps: numberSetting(train, 'steps', TRAIN_SETTINGS),
        batch: numberSetting(train, 'batch', TRAIN_SETTINGS),
        lr: numberSetting(train, 'lr', TRAIN_SETTINGS),
        seed: numberSetting(train, 'seed', TRAIN_SETTINGS),
        device: methodSetting(train, 'device').name as TrainSpec['device'],
        max_turns: numberSetting(train, 'max_turns', TRAIN_SETTINGS),
        record_credit: setting(train, 'record_credit')
            ? (methodSetting(train, 'record_credit').name as TrainSpec['record_credit'])
            : defaultRecordCredit(agentCount),
        checkpoint_every: numberSetting(train, 'checkpoint_every', TRAIN_SETTINGS),
        verifier_timeout: numberSetting(train, 'verifier_timeout', TRAIN_SETTINGS),
        verifier_memory: numberSetting(train, 'verifier_memory', TRAIN_SETTINGS),
        verifier_workers: numberSetting(train, 'verifier_workers', TRAIN_SETTINGS),
        critic: train.critic?.ref?.name ?? null,
        stop_when: compileStopWhen(train),
        micro_batch_tokens: optionalNumber(train, 'micro_batch_tokens'),
    };
}

/** A setting the catalogue gives no default (the trainer chooses one): its number, or null when left out. */
function optionalNumber(train: Train, key: string): number | null {
    const value = setting(train, key);
    return value && isNumberValue(value) ? value.value : null;
}

/** `stop_when: success >= 0.99 for 10 steps`, or null (the validator allows one at most). */
function compileStopWhen(train: Train): StopWhenSpec | null {
    const condition = train.stopWhen[0];
    if (!condition) return null;
    return { metric: condition.metric, op: condition.op, threshold: condition.threshold, steps: condition.steps };
}

/** The default sampling temperature of agents without their own (`train { temperature: ... }`). */
export function defaultTemperature(train: Train): number {
    return numberSetting(train, 'temperature', TRAIN_SETTINGS);
}
