// "Mina API-nycklar": every signed-in user's own keys (the API lets a user manage their own).
import { session } from './api.js';
import { t } from './i18n.js';
import { TokensPanel } from './tokens-panel.js';

export class OwnTokensView {
  constructor(root) {
    this.panel = new TokensPanel(root.querySelector('#own-tokens'), session.user.email, { heading: () => t('tokens.yours') });
  }

  show() {
    return this.panel.load();
  }

  relabel() {
    this.panel.relabel();
  }
}
