// The demo page: pick or drop files, and they go straight to the local OSS server with STS keys
// from the demo back end (`/api/sts`), each with progress, cancel and resume (also after a page
// reload: checkpoints live in localStorage, re-picking the same file continues). Below, the
// bucket's uploads folder: thumbnails, download, delete.
import { OSSArgumentError, OSSClient, type MultipartCheckpoint, type UploadProgress } from '../src/index.js';
import { SpeedMeter } from './speed.js';

declare const __OSS_ENDPOINT__: string;
declare const __OSS_BUCKET__: string;
declare const __OSS_REGION__: string;
declare const __UPLOAD_PREFIX__: string;

const PART_SIZE = 1024 * 1024;
/** Files uploading at once; the rest wait in line. */
const MAX_ACTIVE = 3;
const CHECKPOINT_PREFIX = 'oss-demo:checkpoint:';
const IMAGE_RE = /\.(png|jpe?g|gif|webp|avif|svg|bmp|ico)$/i;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------------------------------------------------------------------------------------------
// Credentials: the page only ever holds short-lived keys from its back end.

let sessionTimer: ReturnType<typeof setInterval> | undefined;

async function fetchStsKeys() {
  const response = await fetch('/api/sts', { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(`The demo back end could not get STS keys: ${body.error ?? response.status}`);
  showSession(body.accessKeyId, new Date(body.expiration));
  return body as { accessKeyId: string; accessKeySecret: string; stsToken: string; expiration: string };
}

function showSession(accessKeyId: string, expires: Date) {
  const render = () => {
    const minutes = Math.max(0, Math.round((expires.getTime() - Date.now()) / 60_000));
    $('session-text').textContent = `STS key ${accessKeyId.slice(0, 10)}… · expires in ${minutes} min`;
  };
  $('session').classList.add('ok');
  render();
  clearInterval(sessionTimer);
  sessionTimer = setInterval(render, 30_000);
}

const client = new OSSClient({
  endpoint: __OSS_ENDPOINT__,
  bucket: __OSS_BUCKET__,
  region: __OSS_REGION__,
  refreshSTSToken: fetchStsKeys,
});

// ---------------------------------------------------------------------------------------------
// Formatting and small UI helpers

function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function formatDate(ms: number | string): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label: string, act: string, className = 'secondary'): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  b.dataset.act = act;
  return b;
}

/** A square preview: the image itself, or the file's extension on a tile. */
function thumbnail(name: string, src?: string): HTMLElement {
  if (src) {
    const img = el('img', 'thumb');
    img.alt = '';
    img.loading = 'lazy';
    img.src = src;
    return img;
  }
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toUpperCase() ?? 'FILE';
  return el('span', 'thumb tile', ext);
}

function toast(message: string, kind: 'error' | 'info' = 'error') {
  const node = el('div', `toast ${kind}`, message);
  $('toasts').append(node);
  setTimeout(() => node.remove(), 6000);
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------------------------------------
// Checkpoints in localStorage, keyed by the file's identity (name, size, date).

interface SavedUpload {
  key: string;
  fileName: string;
  size: number;
  checkpoint: MultipartCheckpoint;
}

const fileId = (file: File) => `${CHECKPOINT_PREFIX}${file.name}|${file.size}|${file.lastModified}`;

function loadSaved(id: string): SavedUpload | undefined {
  try {
    const raw = localStorage.getItem(id);
    return raw ? (JSON.parse(raw) as SavedUpload) : undefined;
  } catch {
    return undefined;
  }
}

function savedUploads(): Array<[string, SavedUpload]> {
  const out: Array<[string, SavedUpload]> = [];
  for (let i = 0; i < localStorage.length; i++) {
    const id = localStorage.key(i);
    const saved = id?.startsWith(CHECKPOINT_PREFIX) ? loadSaved(id) : undefined;
    if (id && saved) out.push([id, saved]);
  }
  return out;
}

const doneBytes = (cp: MultipartCheckpoint) => cp.doneParts.reduce((n, p) => n + p.size, 0);

// ---------------------------------------------------------------------------------------------
// Uploads

type State = 'queued' | 'uploading' | 'paused' | 'done' | 'failed';

const queue: Upload[] = [];
const uploads = new Map<string, Upload>();

class Upload {
  readonly key: string;
  readonly row = el('li', 'upload');
  #state: State = 'queued';
  #controller: AbortController | undefined;
  #bar = el('div', 'bar-fill');
  #detail = el('span', 'detail muted');
  #status = el('span', 'status');
  #actions = el('div', 'upload-actions');
  #preview: string | undefined;
  #speed = new SpeedMeter(0, 0);
  #loaded = 0;
  /** Bytes a resumed upload had already sent: the bar never drops below them while the parts are checked. */
  #resumedFrom = 0;

  constructor(readonly file: File) {
    this.key = `${__UPLOAD_PREFIX__}${file.name}`;
    this.row.dataset.name = this.key;
    if (IMAGE_RE.test(file.name) || file.type.startsWith('image/')) this.#preview = URL.createObjectURL(file);
    const bar = el('div', 'bar');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.setAttribute('aria-label', `Upload of ${file.name}`);
    bar.append(this.#bar);
    const info = el('div', 'info');
    const title = el('div', 'title');
    title.append(el('span', 'name', file.name), this.#status);
    info.append(title, bar, this.#detail);
    this.row.append(thumbnail(file.name, this.#preview), info, this.#actions);
    this.#actions.addEventListener('click', (event) => {
      const act = (event.target as HTMLElement).closest('button')?.dataset.act;
      if (act === 'cancel') this.cancel();
      else if (act === 'resume') this.enqueue();
      else if (act === 'dismiss') this.dismiss();
    });
    const saved = loadSaved(fileId(file));
    this.#setProgress(saved ? doneBytes(saved.checkpoint) : 0);
    this.#render();
  }

  get state(): State {
    return this.#state;
  }

  enqueue() {
    this.#state = 'queued';
    this.#render();
    queue.push(this);
    pump();
  }

  async run(): Promise<void> {
    this.#state = 'uploading';
    this.#controller = new AbortController();
    this.#render();
    const id = fileId(this.file);
    const saved = loadSaved(id);
    try {
      await this.#send(saved?.checkpoint);
    } catch (err) {
      // A checkpoint that no longer fits (object changed, upload gone): start over once.
      if (saved && err instanceof OSSArgumentError && err.argument.startsWith('options.checkpoint')) {
        localStorage.removeItem(id);
        renderInterrupted();
        try {
          await this.#send(undefined);
        } catch (again) {
          this.#failed(again);
        }
      } else {
        this.#failed(err);
      }
    }
  }

  async #send(checkpoint: MultipartCheckpoint | undefined) {
    const id = fileId(this.file);
    this.#resumedFrom = checkpoint ? doneBytes(checkpoint) : 0;
    this.#speed = new SpeedMeter(this.#resumedFrom, performance.now());
    await client.multipartUpload(this.key, this.file, {
      partSize: PART_SIZE,
      parallel: 4,
      signal: this.#controller!.signal,
      checkpoint,
      onCheckpoint: (cp) => {
        localStorage.setItem(id, JSON.stringify({ key: this.key, fileName: this.file.name, size: this.file.size, checkpoint: cp } satisfies SavedUpload));
      },
      onProgress: (p) => this.#onProgress(p),
    });
    localStorage.removeItem(id);
    this.#state = 'done';
    this.#setProgress(this.file.size, 100);
    this.#render();
    renderInterrupted();
    scheduleRefresh();
  }

  #failed(err: unknown) {
    if (err instanceof Error && err.name === 'AbortError') {
      // Show what a resume keeps: the parts the checkpoint holds, not the bytes that were in flight.
      this.#state = 'paused';
      const saved = loadSaved(fileId(this.file));
      this.#setProgress(saved ? doneBytes(saved.checkpoint) : 0);
    } else {
      this.#state = 'failed';
      this.#detail.textContent = errorText(err);
      toast(`${this.file.name}: ${errorText(err)}`);
    }
    this.#render();
    renderInterrupted();
  }

  cancel() {
    if (this.#state === 'queued') {
      queue.splice(queue.indexOf(this), 1);
      this.#state = 'paused';
      this.#render();
    } else {
      this.#controller?.abort(new DOMException('cancelled by the user', 'AbortError'));
    }
  }

  dismiss() {
    if (this.#preview) URL.revokeObjectURL(this.#preview);
    uploads.delete(fileId(this.file));
    this.row.remove();
  }

  #onProgress(p: UploadProgress) {
    this.#speed.update(p.loaded, performance.now());
    if (p.percent === 100) this.#setProgress(p.loaded, 100);
    else if (p.loaded >= this.#resumedFrom) this.#setProgress(p.loaded, p.percent);
  }

  #setProgress(loaded: number, percent = this.file.size ? Math.min(99, (loaded / this.file.size) * 100) : 0) {
    this.#loaded = loaded;
    const shown = Math.floor(percent);
    this.#bar.style.width = `${percent}%`;
    this.#bar.parentElement?.setAttribute('aria-valuenow', String(shown));
    this.row.dataset.percent = String(shown);
    if (this.#state === 'failed') return;
    const speed = this.#state === 'uploading' && this.#speed.bytesPerSecond > 0 ? ` · ${formatSize(this.#speed.bytesPerSecond)}/s` : '';
    this.#detail.textContent = `${formatSize(Math.min(loaded, this.file.size))} of ${formatSize(this.file.size)} · ${shown}%${speed}`;
  }

  #render() {
    this.row.dataset.state = this.#state;
    const labels: Record<State, string> = { queued: 'Waiting', uploading: 'Uploading', paused: 'Paused', done: 'Done', failed: 'Failed' };
    this.#status.textContent = labels[this.#state];
    this.#status.className = `status ${this.#state}`;
    const buttons: HTMLButtonElement[] = [];
    if (this.#state === 'uploading' || this.#state === 'queued') buttons.push(button('Cancel', 'cancel'));
    if (this.#state === 'paused' || this.#state === 'failed') buttons.push(button(this.#state === 'failed' ? 'Retry' : 'Resume', 'resume', 'primary'));
    if (this.#state !== 'uploading' && this.#state !== 'queued') buttons.push(button('✕', 'dismiss', 'ghost'));
    this.#actions.replaceChildren(...buttons);
    if (this.#state !== 'done') this.#setProgress(this.#loaded);
  }
}

function pump() {
  const active = [...uploads.values()].filter((u) => u.state === 'uploading').length;
  for (let free = MAX_ACTIVE - active; free > 0 && queue.length > 0; free--) void queue.shift()!.run();
}

function addFiles(files: Iterable<File>) {
  for (const file of files) {
    const id = fileId(file);
    const existing = uploads.get(id);
    if (existing) {
      if (existing.state === 'paused' || existing.state === 'failed') existing.enqueue();
      continue;
    }
    const upload = new Upload(file);
    uploads.set(id, upload);
    $('uploads').prepend(upload.row);
    upload.enqueue();
  }
  renderInterrupted();
}

/** Checkpoints of uploads this page is not running: left over from before a reload. */
function renderInterrupted() {
  const items = savedUploads().filter(([id]) => !uploads.has(id));
  $('interrupted').hidden = items.length === 0;
  $('interrupted-list').replaceChildren(
    ...items.map(([id, saved]) => {
      const li = el('li');
      li.dataset.name = saved.key;
      const percent = Math.floor((doneBytes(saved.checkpoint) / Math.max(saved.size, 1)) * 100);
      li.append(
        el('span', 'name', saved.fileName),
        el('span', 'muted small', `${formatSize(saved.size)} · ${percent}% uploaded`),
        button('Discard', 'discard', 'ghost'),
      );
      li.querySelector('button')!.addEventListener('click', async () => {
        localStorage.removeItem(id);
        renderInterrupted();
        await client.abortMultipartUpload(saved.key, saved.checkpoint.uploadId).catch(() => {});
      });
      return li;
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The bucket listing

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), 150);
}

async function refresh(): Promise<void> {
  const rows: HTMLTableRowElement[] = [];
  let total = 0;
  try {
    for await (const entry of client.listAll({ prefix: __UPLOAD_PREFIX__ })) {
      if ('isPrefix' in entry) continue;
      total += entry.size;
      rows.push(await objectRow(entry.name, entry.size, entry.lastModified));
    }
  } catch (err) {
    toast(`Listing failed: ${errorText(err)}`);
    return;
  }
  $('objects').replaceChildren(...rows);
  $('empty').hidden = rows.length > 0;
  $('objects-table').hidden = rows.length === 0;
  $('summary').textContent = rows.length ? `· ${rows.length} ${rows.length === 1 ? 'file' : 'files'}, ${formatSize(total)}` : '';
}

async function objectRow(name: string, size: number, modified: number | string): Promise<HTMLTableRowElement> {
  const tr = el('tr');
  tr.dataset.name = name;
  // Thumbnails are made by the server (x-oss-process), so the page never downloads full images.
  const process = /\.(png|jpe?g|webp|gif)$/i.test(name) ? 'image/resize,m_fill,w_80,h_80/format,webp' : undefined;
  const preview = IMAGE_RE.test(name) ? await client.signatureUrl(name, { expires: 900, process }) : undefined;
  const cells = [el('td', 'thumb-col'), el('td', 'name'), el('td', 'num', formatSize(size)), el('td', 'muted', formatDate(modified)), el('td', 'actions')];
  cells[0]!.append(thumbnail(name, preview));
  cells[1]!.textContent = name.slice(__UPLOAD_PREFIX__.length);
  cells[1]!.title = name;
  const actions = el('div', 'row-actions');
  actions.append(button('Download', 'download'), button('Delete', 'delete', 'danger'));
  cells[4]!.append(actions);
  tr.append(...cells);
  return tr;
}

$('objects').addEventListener('click', async (event) => {
  const target = (event.target as HTMLElement).closest('button');
  const name = target?.closest('tr')?.dataset.name;
  if (!target || !name) return;
  target.disabled = true;
  try {
    if (target.dataset.act === 'delete') {
      await client.delete(name);
      await refresh();
    } else {
      // A signed link that makes the server send the file as an attachment: nothing is buffered here.
      const filename = name.split('/').pop()!;
      const href = await client.signatureUrl(name, {
        expires: 300,
        response: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}` },
      });
      Object.assign(el('a'), { href, download: filename }).click();
    }
  } catch (err) {
    toast(`${name}: ${errorText(err)}`);
  } finally {
    target.disabled = false;
  }
});

// ---------------------------------------------------------------------------------------------
// Wiring

$('target').textContent = `${__OSS_BUCKET__}/${__UPLOAD_PREFIX__}`;
const input = $<HTMLInputElement>('files');
input.addEventListener('change', () => {
  addFiles(input.files ?? []);
  input.value = '';
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  addFiles((e as DragEvent).dataTransfer?.files ?? []);
});
$('refresh').addEventListener('click', () => void refresh());
renderInterrupted();
void refresh();
