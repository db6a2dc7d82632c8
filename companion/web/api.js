// The REST API: the access token, authorised requests, downloads as files, uploads with progress.
// Everything is same-origin (the companion serves this panel), so paths start with /api/v1.

const TOKEN_KEY = 'musiaia.token';
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

let unauthorized = () => {};

/** Called when the server says the session is over (401): the app goes back to sign-in. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export const session = {
  get token() {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token) {
    localStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    try {
      localStorage.removeItem(TOKEN_KEY);
    } catch {
      /* storage unavailable: nothing kept anyway */
    }
  },
};

/** FastAPI's `detail`: a string, or a list of validation errors. */
export function detailText(detail, fallback = '') {
  if (!detail) return fallback;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail.map((e) => (e && e.msg ? e.msg : JSON.stringify(e))).join('; ');
  }
  if (typeof detail === 'object' && detail.detail) return detailText(detail.detail, fallback);
  return JSON.stringify(detail);
}

async function errorFrom(response) {
  let detail = '';
  try {
    const type = response.headers.get('content-type') || '';
    detail = type.includes('json') ? detailText((await response.json()).detail) : await response.text();
  } catch {
    /* no readable body */
  }
  return new ApiError(response.status, detail || response.statusText);
}

/**
 * request('/projects') → parsed JSON. Options: method, json (body), form (URLSearchParams),
 * raw (return the Response), auth (default true), signal.
 */
export async function request(path, options = {}) {
  const { method = 'GET', json, form, raw = false, auth = true, signal } = options;
  const headers = {};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  const token = session.token;
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path.startsWith('/') && !path.startsWith(API) ? API + path : path, {
    method,
    headers,
    body,
    signal,
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 401 && auth) {
    const error = await errorFrom(response);
    unauthorized(error);
    throw error;
  }
  if (!response.ok) throw await errorFrom(response);
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : response.text();
}

/** Exchange the one-time link's token for an access token. */
export async function redeemLink(linkToken) {
  const data = await request('/auth/link', { method: 'POST', json: { token: linkToken }, auth: false });
  session.set(data.access_token);
  return data;
}

/** OAuth2 password form. */
export async function login(username, password) {
  const form = new URLSearchParams({ username, password, grant_type: 'password' });
  const data = await request('/auth/login', { method: 'POST', form, auth: false });
  session.set(data.access_token);
  return data;
}

/** The file name from Content-Disposition (RFC 5987 `filename*` first). */
export function filenameFrom(disposition, fallback) {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
  return (plain && (plain[1] || plain[2] || '').trim()) || fallback;
}

/** Download an authorised URL and save it as a file (downloads need the token, so no plain link). */
export async function saveDownload(url, fallbackName) {
  const response = await request(url, { raw: true });
  const blob = await response.blob();
  const name = filenameFrom(response.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return { name, size: blob.size };
}

/** GET binary data with the token (sample previews). */
export async function fetchBytes(url, signal) {
  const response = await request(url, { raw: true, signal });
  return response.arrayBuffer();
}

/**
 * Upload one file as multipart field `file`, reporting progress (0–1).
 * Resolves {status, body} for any HTTP answer; rejects only on network failure.
 */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path.startsWith(API) ? path : API + path);
    const token = session.token;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && onProgress) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = { detail: xhr.responseText };
      }
      if (xhr.status === 401) unauthorized(new ApiError(401, detailText(body && body.detail)));
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network error')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted')));
    const data = new FormData();
    data.append('file', file, file.name);
    xhr.send(data);
  });
}
