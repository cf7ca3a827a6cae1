import { GrammarUtils, type ValidationAcceptor } from 'langium';
import type { Range } from 'vscode-languageserver';
import { isOpenAiSource, type Model } from '../generated/ast.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';

/** A POSIX-style environment variable name (TS twin of api_models.py `_ENV_NAME`). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Settings of a local model that an API model (`from: openai ...`) has no use for: the server owns its weights. */
const LOCAL_ONLY = [
    { property: 'adapter', keyword: 'adapter' },
    { property: 'dtype', keyword: 'dtype' },
    { property: 'attention', keyword: 'attention' },
    { property: 'gradientCheckpointing', keyword: 'gradient_checkpointing' },
] as const;

/** Settings that only an API model reads. */
const API_ONLY = [
    { property: 'keyEnv', keyword: 'key' },
    { property: 'timeout', keyword: 'timeout' },
    { property: 'retries', keyword: 'retries' },
    { property: 'concurrency', keyword: 'concurrency' },
] as const;

/** `from: openai "<url>" name "<model>"`: an http(s) URL, settings in range, a valid variable name, no local-only
 *  settings; and the API settings on a local model do nothing. The key's value is never written in the language. */
export function checkApiModel(model: Model, accept: ValidationAcceptor): void {
    const source = model.source;
    if (!isOpenAiSource(source)) {
        for (const { property, keyword } of API_ONLY) {
            if (model[property] === undefined) continue;
            report(
                accept,
                'warning',
                IssueCodes.SettingOnlyForApiModel,
                `\`${keyword}\` is read only by an API model (\`from: openai "<url>" name "<model>"\`); remove it.`,
                { node: model, property },
                removeFix(model, property, keyword),
            );
        }
        return;
    }
    if (!/^https?:\/\/\S+$/.test(source.url)) {
        report(
            accept,
            'error',
            IssueCodes.InvalidApiUrl,
            `The endpoint URL must start with http:// or https://, not '${source.url}'; write for example "http://127.0.0.1:8000/v1".`,
            { node: source, property: 'url' },
            /^[\w.-]+(:\d+)?(\/\S*)?$/.test(source.url)
                ? [
                      urlFix(
                          source.$cstNode && GrammarUtils.findNodeForProperty(source.$cstNode, 'url')?.range,
                          source.url,
                      ),
                  ]
                : [],
        );
    }
    for (const { property, keyword } of LOCAL_ONLY) {
        if (model[property] === undefined) continue;
        report(
            accept,
            'warning',
            IssueCodes.SettingNotForApiModel,
            `\`${keyword}\` does not apply to an API model: the server owns its weights and agents on it are never trained; remove it.`,
            { node: model, property },
            removeFix(model, property, keyword),
        );
    }
    const ranges = [
        { property: 'timeout', ok: (v: number) => v > 0, need: 'a number of seconds above 0' },
        {
            property: 'retries',
            ok: (v: number) => Number.isInteger(v) && v <= 100,
            need: 'a whole number from 0 to 100',
        },
        {
            property: 'concurrency',
            ok: (v: number) => Number.isInteger(v) && v >= 1 && v <= 1024,
            need: 'a whole number from 1 to 1024',
        },
    ] as const;
    for (const { property, ok, need } of ranges) {
        const value = model[property];
        if (value === undefined || ok(value)) continue;
        report(accept, 'error', IssueCodes.InvalidApiModelSetting, `\`${property}\` must be ${need}, not ${value}.`, {
            node: model,
            property,
        });
    }
    if (model.keyEnv !== undefined && !ENV_NAME.test(model.keyEnv)) {
        report(
            accept,
            'error',
            IssueCodes.InvalidKeyEnv,
            `\`key: env\` takes the NAME of an environment variable (letters, digits, _; not starting with a digit), not '${model.keyEnv}'. Never write the key itself in a .mas file.`,
            { node: model, property: 'keyEnv' },
        );
    }
}

function urlFix(range: Range | undefined, url: string): QuickFix {
    return {
        title: `Use "http://${url}"`,
        edits: range ? [{ range, newText: JSON.stringify(`http://${url}`) }] : [],
        preferred: true,
    };
}

/** "Remove `key: value`": from the property's keyword to the end of its value. */
function removeFix(model: Model, property: string, keyword: string): QuickFix[] {
    const value = GrammarUtils.findNodeForProperty(model.$cstNode, property)?.range;
    const key = GrammarUtils.findNodeForKeyword(model.$cstNode, keyword)?.range;
    if (!value || !key) return [];
    return [
        {
            title: `Remove \`${keyword}\``,
            edits: [{ range: { start: key.start, end: value.end }, newText: '' }],
            preferred: true,
        },
    ];
}
