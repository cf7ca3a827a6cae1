import type { TurnRecord } from '../../protocol/run-dir.js';
import type { TurnChat } from '../../protocol/trajectory-messages.js';
import { element } from '../common/dom.js';
import { TextView } from './text-view.js';

const ROLE_LABEL = { system: 'System', user: 'User' } as const;

/**
 * The text of one turn. A raw turn: the message, then the rendered prompt, as the model saw them. A chat turn
 * (issue 13): the messages the prompt was rendered from (system, then user), then the assistant's reply; the
 * rendered template (special tokens, generation prompt) is behind a disclosure. The messages come only from the
 * host's checked `chat` entry (analysis/run-dir/chat-messages.ts); one it ignored is said, and the turn shown raw.
 * Everything is set as text.
 */
export class TurnMessages {
    readonly element: HTMLElement;
    private readonly messages = element('div', { className: 'chat-messages' });
    private readonly note = element('p', { className: 'hint chat-note' });
    private readonly reply = new TextView('Message');
    private readonly prompt = new TextView('Rendered prompt');
    private readonly rawPrompt = element('div', { className: 'raw-prompt' });
    private readonly template = element(
        'details',
        { className: 'chat-template' },
        element('summary', { text: 'Rendered chat template (what the model read)' }),
    );

    constructor() {
        this.element = element(
            'div',
            { className: 'turn-messages' },
            this.note,
            this.messages,
            this.reply.element,
            this.rawPrompt,
            this.template,
        );
    }

    /** Whether the turn shown is a chat turn (its token strip is the assistant's reply only). */
    isChat = false;

    show(turn: TurnRecord, chat: TurnChat | null | undefined): void {
        const messages = chat && 'messages' in chat ? chat.messages : undefined;
        this.isChat = messages !== undefined;
        this.note.textContent = chat && 'ignored' in chat ? chat.ignored : '';
        this.note.hidden = !(chat && 'ignored' in chat);
        this.element.classList.toggle('chat', messages !== undefined);
        this.messages.replaceChildren(
            ...(messages ?? []).map((m) => {
                const view = new TextView(ROLE_LABEL[m.role]);
                view.element.classList.add('chat-message', `chat-${m.role}`);
                view.setText(m.content);
                return view.element;
            }),
        );
        this.reply.setLabel(messages ? 'Assistant' : 'Message');
        this.reply.element.classList.toggle('chat-message', messages !== undefined);
        this.reply.element.classList.toggle('chat-assistant', messages !== undefined);
        this.reply.setText(turn.output);
        this.prompt.setText(turn.prompt);
        // One prompt view, moved: shown directly for a raw turn, on demand for a chat turn.
        (messages ? this.template : this.rawPrompt).append(this.prompt.element);
        this.template.hidden = messages === undefined;
    }
}
