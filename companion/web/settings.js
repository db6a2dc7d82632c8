// Account settings: which language model answers this account's messages (GLM-4.6, MiniMax-M2,
// a local model, offline, or automatic: the companion's routing). Stored with the account.

import { h } from './dom.js';
import { request } from './api.js';
import { t, onLangChange } from './i18n.js';

export class EngineSettings {
  /** els: {form, options, status, error} */
  constructor({ els }) {
    this.els = els;
    this.engine = null;
    this.options = [];
    this.saving = false;
    this.loaded = false;
    this.saved = null; // the option just saved, for the status line
    els.form.addEventListener('submit', (event) => event.preventDefault());
    els.options.addEventListener('change', (event) => {
      if (event.target.name === 'engine') this.choose(event.target.value);
    });
    onLangChange(() => this.render());
  }

  async load() {
    try {
      this.apply(await request('/settings/engine'));
      this.showError('');
    } catch (error) {
      if (error.status !== 401) this.showError(error.detail || t('error.network'));
    }
  }

  apply(data) {
    this.engine = data.engine;
    this.options = Array.isArray(data.options) ? data.options : [];
    this.loaded = true;
    this.render();
  }

  async choose(id) {
    if (id === this.engine || this.saving) return;
    const previous = this.engine;
    this.saving = true;
    this.saved = null;
    this.els.status.textContent = t('settings.saving');
    try {
      this.apply(await request('/settings/engine', { method: 'PUT', json: { engine: id } }));
      this.saved = this.options.find((o) => o.id === id) || null;
      this.showError('');
    } catch (error) {
      this.engine = previous; // nothing changed on the server: show what is really in force
      if (error.status !== 401) this.showError(error.detail || t('error.network'));
    } finally {
      this.saving = false;
      this.render();
    }
  }

  showError(text) {
    this.els.error.textContent = text;
    this.els.error.hidden = !text;
  }

  describe(option) {
    if (option.id === 'auto') return t('settings.autoDetail', { chain: option.name });
    if (option.id === 'offline') return t('settings.offlineDetail');
    if (option.id === 'local') return t('settings.localDetail');
    return t('settings.cloudDetail');
  }

  title(option) {
    if (option.id === 'auto') return t('settings.auto');
    if (option.id === 'offline') return t('settings.offline');
    if (option.id === 'local') return t('settings.local', { model: option.name });
    return option.name;
  }

  render() {
    const { options: box, status } = this.els;
    if (!this.loaded) return;
    box.replaceChildren(
      ...this.options.map((option) => {
        const id = `engine-${option.id}`;
        const notes = [h('span', { class: 'engine__detail' }, this.describe(option))];
        if (option.on_machine) notes.push(h('span', { class: 'tag' }, t('settings.onMachine')));
        if (!option.available) {
          notes.push(
            h('span', { class: 'engine__setup' }, t('settings.setup', { setting: option.setup || '' }))
          );
        }
        return h(
          'div',
          { class: 'engine__option', dataset: { engine: option.id, available: String(option.available) } },
          h('input', {
            type: 'radio',
            name: 'engine',
            id,
            value: option.id,
            checked: option.id === this.engine,
            disabled: !option.available || this.saving,
            'aria-describedby': `${id}-notes`,
          }),
          h(
            'label',
            { for: id },
            h('span', { class: 'engine__name' }, this.title(option)),
            h('span', { class: 'engine__notes', id: `${id}-notes` }, notes)
          )
        );
      })
    );
    if (!this.saving) {
      status.textContent = this.saved ? t('settings.saved', { engine: this.title(this.saved) }) : '';
    }
  }

  reset() {
    this.engine = null;
    this.options = [];
    this.loaded = false;
    this.saved = null;
    this.els.options.replaceChildren();
    this.els.status.textContent = '';
    this.showError('');
  }

  state() {
    return {
      engine: this.engine,
      saving: this.saving,
      options: this.options.map((o) => ({ id: o.id, available: o.available })),
    };
  }
}
