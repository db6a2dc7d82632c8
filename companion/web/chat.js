// The chat: history, the composer (Enter sends, Shift+Enter adds a line), streamed answers,
// progress steps while a set is built, the engine that answered, errors that keep the text.

import { h } from './dom.js';
import { request } from './api.js';
import { t, onLangChange, formatTime, stepLabel } from './i18n.js';

const STEPS = ['understanding', 'composing', 'choosing_sounds', 'laying_out', 'writing'];
const NEAR_BOTTOM_PX = 80;

export class Chat {
  /**
   * els: {scroll, log, empty, suggestions, alert, announce, form, input}
   * socket: ChatSocket; onOpenProject(id, version); onDownloadAudio(card, button)
   */
  constructor({ els, socket, onOpenProject, onDownloadAudio }) {
    this.els = els;
    this.socket = socket;
    this.onOpenProject = onOpenProject || (() => {});
    this.onDownloadAudio = onDownloadAudio || null;
    this.pending = []; // texts sent and not answered yet, oldest first
    this.current = null; // the assistant turn being built
    this.lastAssistant = null;
    this.lost = false;
    this.counts = { tokens: 0, resets: 0, messages: 0, errors: 0, progress: 0, notices: 0, history: 0 };
    this.bind();
    this.renderSuggestions();
    onLangChange(() => {
      this.renderSuggestions();
      this.els.log.querySelectorAll('[data-step]').forEach((node) => {
        node.querySelector('.step__label').textContent = stepLabel(node.dataset.step, node.dataset.label);
      });
    });
  }

  bind() {
    const { form, input } = this.els;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.isComposing || event.keyCode === 229) return;
      if (event.shiftKey || event.altKey) return; // Shift+Enter: a new line (the default)
      event.preventDefault();
      this.submit();
    });
    input.addEventListener('input', () => {
      this.autosize();
      if (!this.els.alert.hidden && input.value.trim()) this.els.alert.hidden = true;
    });
  }

  autosize() {
    const { input } = this.els;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 220)}px`;
  }

  renderSuggestions() {
    const list = this.els.suggestions;
    list.replaceChildren(
      ...['chat.try1', 'chat.try2', 'chat.try3'].map((key) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'suggestion',
              onclick: () => {
                this.els.input.value = t(key);
                this.autosize();
                this.els.input.focus();
              },
            },
            t(key)
          )
        )
      )
    );
  }

  // ------------------------------------------------------------------------------ history
  async loadHistory() {
    const items = await request('/chat/history?limit=100');
    this.els.log.replaceChildren();
    this.current = null;
    this.lastAssistant = null;
    for (const item of items) {
      if (item.role === 'user') {
        this.addUser(item.content, item.timestamp);
      } else {
        const turn = this.newTurn(false);
        this.finishTurn(turn, item.content, item.engine, item.timestamp);
        if (item.project_id) this.attachProject(turn, { id: item.project_id });
      }
    }
    this.counts.history = items.length;
    this.updateEmpty();
    this.scrollToEnd(true);
  }

  updateEmpty() {
    this.els.empty.hidden = this.els.log.children.length > 0;
  }

  // ------------------------------------------------------------------------------ sending
  submit() {
    const { input, alert } = this.els;
    const text = input.value.trim();
    if (!text) {
      input.focus();
      return false;
    }
    if (!this.socket.send({ type: 'message', content: text })) {
      alert.textContent = t('chat.notConnected');
      alert.hidden = false;
      return false; // the text stays in the box
    }
    alert.hidden = true;
    this.addUser(text, new Date().toISOString());
    this.pending.push(text);
    input.value = '';
    this.autosize();
    if (!this.current) this.current = this.newTurn(true);
    this.scrollToEnd(true);
    return true;
  }

  // ------------------------------------------------------------------------------ events
  handle(event) {
    switch (event.type) {
      case 'progress':
        this.counts.progress += 1;
        this.progress(event.data || {});
        return true;
      case 'token':
        this.counts.tokens += 1;
        this.token(String(event.content ?? ''));
        return true;
      case 'reset':
        this.counts.resets += 1;
        if (this.current) this.current.text.textContent = '';
        return true;
      case 'message':
        this.counts.messages += 1;
        this.message(event);
        return true;
      case 'error':
        this.counts.errors += 1;
        this.error(event.detail);
        return true;
      case 'notice':
        this.counts.notices += 1;
        this.notice(String(event.content ?? event.detail ?? ''));
        return true;
      default:
        return false;
    }
  }

  ensureTurn() {
    if (!this.current) this.current = this.newTurn(true);
    return this.current;
  }

  progress({ step, label, percent }) {
    const turn = this.ensureTurn();
    const pct = Math.max(0, Math.min(100, Number(percent) || 0));
    if (!turn.progress) {
      turn.steps = new Map();
      turn.list = h('ol', { class: 'steps' });
      turn.fill = h('div', { class: 'bar__fill' });
      turn.bar = h(
        'div',
        {
          class: 'bar',
          role: 'progressbar',
          'aria-valuemin': 0,
          'aria-valuemax': 100,
          'aria-valuenow': 0,
          'aria-label': t('chat.building'),
        },
        turn.fill
      );
      turn.progress = h('div', { class: 'progress' }, turn.list, turn.bar);
      turn.bubble.insertBefore(turn.progress, turn.text);
    }
    const key = step || label || `step${turn.steps.size}`;
    for (const node of turn.steps.values()) {
      node.classList.remove('step--active');
      node.classList.add('step--done');
    }
    let node = turn.steps.get(key);
    if (!node) {
      node = h(
        'li',
        { class: 'step', dataset: { step: key, label: label || key } },
        h('span', { class: 'step__icon', 'aria-hidden': 'true' }),
        h('span', { class: 'step__label' }, stepLabel(key, label))
      );
      turn.steps.set(key, node);
      turn.list.append(node);
    }
    node.classList.remove('step--done');
    node.classList.add('step--active');
    turn.fill.style.width = `${pct}%`;
    turn.bar.setAttribute('aria-valuenow', String(pct));
    this.els.announce.textContent = `${stepLabel(key, label)} — ${pct}%`;
    this.scrollToEnd();
  }

  /** Something the user should know about this answer ("GLM is out of credit; using …"). */
  notice(text) {
    if (!text) return;
    const turn = this.ensureTurn();
    turn.bubble.insertBefore(h('p', { class: 'msg__notice', role: 'note' }, text), turn.text);
    this.scrollToEnd();
  }

  token(content) {
    const turn = this.ensureTurn();
    turn.text.textContent += content;
    turn.typing.hidden = true;
    this.scrollToEnd();
  }

  message(event) {
    const turn = this.current || this.newTurn(true);
    this.current = null;
    this.pending.shift();
    this.finishTurn(turn, event.content ?? '', event.engine, event.timestamp);
    if (this.pending.length) this.current = this.newTurn(true); // the next answer is on its way
    this.scrollToEnd();
  }

  /** A set made from Live's own trigger (no chat message): say so, and close any progress
   * bubble its generation opened here. */
  liveProject(card) {
    const turn = this.current && !this.pending.length ? this.current : this.newTurn(false);
    if (turn === this.current) this.current = null;
    this.finishTurn(turn, t('chat.fromLive', { name: card.name || '' }), null, new Date().toISOString());
    turn.item.classList.add('msg--note');
    this.attachProject(turn, card);
    this.scrollToEnd();
  }

  /** A `project` event follows its message: link the answer to the project. */
  project(card) {
    if (this.lastAssistant) this.attachProject(this.lastAssistant, card);
  }

  error(detail) {
    const text = typeof detail === 'string' && detail ? detail : t('chat.unknownError');
    const turn = this.current || this.newTurn(true);
    this.current = null;
    const failed = this.pending.shift();
    turn.item.classList.add('msg--error');
    turn.item.setAttribute('role', 'alert');
    if (turn.progress) turn.progress.remove();
    turn.typing.remove();
    turn.text.textContent = '';
    turn.text.append(h('strong', {}, t('chat.errorTitle')), ' ', text);
    turn.item.setAttribute('aria-busy', 'false');
    // Give the failed message back so it can be fixed, unless something new is being typed.
    const { input } = this.els;
    if (failed && !input.value.trim()) {
      input.value = failed;
      this.autosize();
      turn.text.append(h('span', { class: 'msg__hint' }, t('chat.restored')));
    }
    if (this.pending.length) this.current = this.newTurn(true);
    this.scrollToEnd(true);
  }

  /** The socket dropped: answers in flight may have been lost. */
  connectionLost() {
    if (this.pending.length || this.current) {
      this.lost = true;
      if (this.current) {
        this.current.typing.remove();
        this.current.text.textContent = t('chat.lost');
        this.current.item.classList.add('msg--note');
        this.current.item.setAttribute('aria-busy', 'false');
        this.current = null;
      }
    }
  }

  /** Back online: if answers were in flight, the history says what happened to them. */
  async reconnected() {
    if (!this.lost) return;
    this.lost = false;
    this.pending = [];
    try {
      await this.loadHistory();
    } catch {
      /* shown by the next request */
    }
  }

  // ------------------------------------------------------------------------------ rendering
  addUser(text, timestamp) {
    const item = h(
      'li',
      { class: 'msg msg--user' },
      h('div', { class: 'msg__bubble' }, h('div', { class: 'msg__text' }, text)),
      h('div', { class: 'msg__meta' }, h('span', { class: 'sr-only' }, t('chat.you')), timeNode(timestamp))
    );
    this.els.log.append(item);
    this.updateEmpty();
    return item;
  }

  newTurn(busy) {
    const text = h('div', { class: 'msg__text' });
    const typing = h(
      'div',
      { class: 'typing', 'aria-hidden': 'true' },
      h('span'),
      h('span'),
      h('span')
    );
    typing.hidden = !busy;
    const bubble = h('div', { class: 'msg__bubble' }, text, typing);
    const meta = h('div', { class: 'msg__meta' });
    const item = h(
      'li',
      { class: 'msg msg--assistant', 'aria-busy': busy ? 'true' : 'false' },
      h('span', { class: 'sr-only' }, t('chat.assistant')),
      bubble,
      meta
    );
    this.els.log.append(item);
    this.updateEmpty();
    return { item, bubble, text, typing, meta, progress: null };
  }

  finishTurn(turn, content, engine, timestamp) {
    turn.text.textContent = content;
    turn.typing.remove();
    if (turn.progress && turn.steps.size <= 1) {
      turn.progress.remove(); // a plain answer: "understanding" alone is not worth keeping
      turn.progress = null;
    } else if (turn.progress) {
      // Fold the finished steps away behind a one-line summary.
      for (const node of turn.steps.values()) {
        node.classList.remove('step--active');
        node.classList.add('step--done');
      }
      const done = h(
        'details',
        { class: 'progress progress--done' },
        h('summary', {}, h('span', { class: 'step__icon', 'aria-hidden': 'true' }), t('chat.built', { n: turn.steps.size })),
        turn.list
      );
      turn.progress.replaceWith(done);
      turn.progress = done;
    }
    turn.meta.replaceChildren(
      engine
        ? h('span', { class: 'engine', title: t('chat.engineTitle') }, t('chat.engine', { engine }))
        : '',
      timeNode(timestamp)
    );
    turn.item.dataset.engine = engine || '';
    turn.item.setAttribute('aria-busy', 'false');
    this.lastAssistant = turn;
  }

  attachProject(turn, card) {
    if (!card || !card.id || turn.bubble.querySelector('.msg__project')) return;
    const label = card.name
      ? t('chat.openProject', { name: card.name, version: card.version || 1 })
      : t('chat.showProject');
    turn.bubble.append(
      h(
        'button',
        {
          type: 'button',
          class: 'msg__project',
          onclick: () => this.onOpenProject(card.id, card.version || null),
        },
        label
      )
    );
    if (card.render_url && this.onDownloadAudio) {
      // The version's audio, rendered on demand, as a file to keep or share.
      const button = h(
        'button',
        { type: 'button', class: 'msg__audio', onclick: () => this.onDownloadAudio(card, button) },
        t('chat.downloadAudio')
      );
      turn.bubble.append(' ', button);
    }
  }

  scrollToEnd(force = false) {
    const box = this.els.scroll;
    const near = box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX + 200;
    if (force || near) requestAnimationFrame(() => (box.scrollTop = box.scrollHeight));
  }

  stats() {
    return {
      ...this.counts,
      pending: this.pending.length,
      busy: Boolean(this.current),
      items: this.els.log.children.length,
    };
  }

  reset() {
    this.els.log.replaceChildren();
    this.pending = [];
    this.current = null;
    this.lastAssistant = null;
    this.updateEmpty();
  }

  busy() {
    return this.pending.length > 0 || Boolean(this.current);
  }
}

export { STEPS };

function timeNode(timestamp) {
  if (!timestamp) return '';
  const text = formatTime(timestamp);
  return text ? h('time', { datetime: String(timestamp) }, text) : '';
}
