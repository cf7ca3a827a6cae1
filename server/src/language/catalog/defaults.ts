import type { ArgValue, NamedArg, SettingValue, Train } from '../generated/ast.js';
import { isIdValue, isListValue, isMethodCall, isNumberValue, isStringValue } from '../generated/ast.js';
import type { ParameterInfo } from './parameters.js';

/**
 * The defaults of the catalogue filled in where a workflow leaves a value out: every default of the compiled RunSpec
 * comes from here or from a catalogue entry (training-catalog.ts), never from the compiler or the graph view.
 */

/** Agents without `max_tokens` generate at most this many tokens per turn. */
export const DEFAULT_MAX_TOKENS = 64;

/** An API model's settings when left out: seconds per call, retries, calls in flight.
 *  Python twin: API_DEFAULTS in trainer/mas_trainer/api_models.py. */
export const API_MODEL_DEFAULTS = { timeout: 60, retries: 2, concurrency: 4 } as const;

export type ParamValue = number | number[] | string;

/** A literal argument or setting value as plain JSON. */
export function argValue(value: ArgValue | SettingValue): ParamValue | undefined {
    if (isNumberValue(value)) return value.value;
    if (isIdValue(value)) return value.value;
    if (isStringValue(value)) return value.value;
    if (isListValue(value)) return [...value.items];
    if (isMethodCall(value)) return value.name;
    return undefined;
}

/**
 * The arguments of a call with the catalogue's defaults filled in, in catalogue order; arguments
 * the catalogue does not list are dropped (the validator reports them).
 */
export function withDefaults(
    args: readonly NamedArg[],
    catalogue: readonly ParameterInfo[],
): Record<string, ParamValue> {
    const result: Record<string, ParamValue> = {};
    for (const parameter of catalogue) {
        const given = args.find((arg) => arg.name === parameter.name);
        const value = given ? argValue(given.value) : parameter.default;
        if (value !== undefined) result[parameter.name] = value;
    }
    return result;
}

/** The value of a `train` setting, when written. */
export function setting(train: Train, key: string): SettingValue | undefined {
    return train.settings.find((s) => s.key === key)?.value;
}

export function numberSetting(train: Train, key: string, catalogue: readonly ParameterInfo[]): number {
    const value = setting(train, key);
    if (value && isNumberValue(value)) return value.value;
    return catalogueDefault(catalogue, key) as number;
}

export function catalogueDefault(catalogue: readonly ParameterInfo[], name: string): ParamValue | undefined {
    return catalogue.find((p) => p.name === name)?.default;
}
