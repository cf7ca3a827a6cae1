import { AstUtils, UriUtils, type FileSystemProvider, type ValidationAcceptor } from 'langium';
import { isStringValue, type Model } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import { fileState } from './dataset-validator.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';

/** The file a PEFT adapter folder must hold (what `PeftModel.from_pretrained` reads first). */
export const ADAPTER_CONFIG_FILE = 'adapter_config.json';

/**
 * `lora(from: "adapters/solver")` starts training from an existing PEFT adapter: the folder, relative to the .mas
 * file, must exist and hold adapter_config.json, or the trainer would stop at start-up (exit 5). Only existence is
 * read, also in an untrusted workspace; where no file system is known (tests, the browser) nothing is reported.
 */
export class AdapterFolderValidator {
    private readonly files: FileSystemProvider;

    constructor(services: MasServices) {
        this.files = services.shared.workspace.FileSystemProvider;
    }

    checkAdapterFolder(model: Model, accept: ValidationAcceptor): void {
        const arg = model.adapter?.kind === 'lora' ? model.adapter.args.find((a) => a.name === 'from') : undefined;
        const declaring = AstUtils.getDocument(model).uri;
        if (!arg || !isStringValue(arg.value) || !arg.value.value.trim() || declaring.scheme !== 'file') return;
        const folder = UriUtils.resolvePath(UriUtils.dirname(declaring), arg.value.value);
        const state = fileState(this.files, folder);
        if (state === 'unknown') return;
        const config = UriUtils.joinPath(folder, ADAPTER_CONFIG_FILE);
        const configState = state === 'directory' ? fileState(this.files, config) : 'missing';
        if (configState === 'file' || configState === 'unknown') return;
        const what =
            state === 'missing'
                ? `The adapter folder ${folder.fsPath} does not exist`
                : state === 'file'
                  ? `${folder.fsPath} is a file, not an adapter folder`
                  : `The folder ${folder.fsPath} holds no ${ADAPTER_CONFIG_FILE}, so it is not a PEFT adapter`;
        report(
            accept,
            'error',
            IssueCodes.AdapterFolderMissing,
            `${what}. Give the folder of a PEFT adapter (adapter_config.json + adapter_model.safetensors, as \`MAS: Export Trained Agents…\` writes it), relative to this file.`,
            { node: arg, property: 'value' },
        );
    }
}
