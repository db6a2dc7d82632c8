// The chat WebSocket: authenticate first, keep it alive, reconnect with backoff when it drops
// (the companion restarted, the laptop slept…). The access token stays valid across restarts.
//
// Events: 'state' (detail: {state, attempt, retryIn}), 'ready', 'message' (detail: a server
// event), 'unauthorized' (the token was refused: sign in again).

const BACKOFF_MS = [400, 800, 1600, 3200, 6400, 10000];
const PING_EVERY_MS = 20000;
const PONG_TIMEOUT_MS = 10000;
const UNAUTHORIZED = 4401;

export class ChatSocket extends EventTarget {
  constructor(tokenProvider) {
    super();
    this.tokenProvider = tokenProvider;
    this.ws = null;
    this.state = 'offline'; // connecting | online | reconnecting | offline
    this.attempt = 0;
    this.connects = 0; // how many times it became ready (1 = first connection)
    this.retryAt = 0;
    this.timer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.running = false;
    this.onOnline = () => this.retryNow();
    this.onVisible = () => {
      if (document.visibilityState === 'visible' && this.state === 'reconnecting') this.retryNow();
    };
  }

  get url() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/ws/chat`;
  }

  start() {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
    this.open();
  }

  stop() {
    this.running = false;
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.timer);
    this.stopPing();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try {
        ws.close(1000, 'bye');
      } catch {
        /* already closed */
      }
    }
    this.setState('offline');
  }

  /** Skip the rest of the backoff wait. */
  retryNow() {
    if (!this.running || this.ws) return; // connected, or an attempt is under way
    clearTimeout(this.timer);
    this.open();
  }

  /** Send an event; false when the socket is not ready (the caller keeps the user's text). */
  send(event) {
    if (this.state !== 'online' || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    try {
      this.ws.send(JSON.stringify(event));
      return true;
    } catch {
      return false;
    }
  }

  setState(state, extra = {}) {
    this.state = state;
    this.dispatchEvent(
      new CustomEvent('state', { detail: { state, attempt: this.attempt, ...extra } })
    );
  }

  open() {
    const token = this.tokenProvider();
    if (!token) {
      this.setState('offline');
      return;
    }
    this.setState(this.connects === 0 && this.attempt === 0 ? 'connecting' : 'reconnecting', {
      retryIn: 0,
    });
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (message) => this.receive(ws, message);
    ws.onclose = (event) => this.closed(ws, event);
    ws.onerror = () => {
      /* a close event follows */
    };
  }

  receive(ws, message) {
    if (ws !== this.ws) return;
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return;
    }
    if (!event || typeof event !== 'object') return;
    if (event.type === 'ready') {
      this.attempt = 0;
      this.connects += 1;
      this.setState('online');
      this.startPing();
      this.dispatchEvent(new CustomEvent('ready', { detail: { reconnect: this.connects > 1 } }));
      return;
    }
    if (event.type === 'pong') {
      clearTimeout(this.pongTimer);
      return;
    }
    this.dispatchEvent(new CustomEvent('message', { detail: event }));
  }

  closed(ws, event) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.stopPing();
    if (!this.running) return;
    if (event.code === UNAUTHORIZED) {
      this.running = false;
      this.setState('offline');
      this.dispatchEvent(new CustomEvent('unauthorized'));
      return;
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    this.retryAt = Date.now() + delay;
    this.setState('reconnecting', { retryIn: delay });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), delay);
  }

  startPing() {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.send({ type: 'ping' })) return;
      clearTimeout(this.pongTimer);
      this.pongTimer = setTimeout(() => {
        // No answer: the connection is dead even if the browser has not noticed yet.
        if (this.ws) this.ws.close(4000, 'no pong');
      }, PONG_TIMEOUT_MS);
    }, PING_EVERY_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  info() {
    return { state: this.state, attempt: this.attempt, connects: this.connects };
  }
}
