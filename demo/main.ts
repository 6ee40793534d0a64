// The demo page: upload files from <input type=file> straight to the local OSS server, list,
// download and delete. (Short-lived STS credentials from a demo back end replace the dev key
// when the browser-upload work lands.)
import { OSSClient } from '../src/index.js';

declare const __OSS_ENDPOINT__: string;

const client = new OSSClient({
  endpoint: typeof __OSS_ENDPOINT__ === 'string' ? __OSS_ENDPOINT__ : 'http://127.0.0.1:9000',
  accessKeyId: 'ossfetch-dev-key',
  accessKeySecret: 'ossfetch-dev-secret',
  bucket: 'demo',
});

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fmtSize = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

async function upload(file: File): Promise<void> {
  const li = document.createElement('li');
  li.innerHTML = `<span class="name"></span><progress max="1" value="0"></progress><span class="state muted">uploading</span>`;
  li.querySelector('.name')!.textContent = file.name;
  $('uploads').prepend(li);
  try {
    await client.put(`uploads/${file.name}`, file);
    (li.querySelector('progress') as HTMLProgressElement).value = 1;
    li.querySelector('.state')!.textContent = 'done';
  } catch (err) {
    const state = li.querySelector('.state')!;
    state.textContent = 'failed';
    state.className = 'state error';
    state.setAttribute('title', err instanceof Error ? err.message : String(err));
  }
  await refresh();
}

async function refresh(): Promise<void> {
  const rows: HTMLTableRowElement[] = [];
  for await (const obj of client.listAll()) {
    if ('isPrefix' in obj) continue;
    const tr = document.createElement('tr');
    tr.innerHTML = `<td></td><td>${fmtSize(obj.size)}</td><td>${new Date(obj.lastModified).toLocaleString()}</td>
      <td class="actions"><button class="secondary" data-act="download">Download</button> <button class="danger" data-act="delete">Delete</button></td>`;
    tr.cells[0]!.textContent = obj.name;
    tr.dataset.name = obj.name;
    rows.push(tr);
  }
  $('objects').replaceChildren(...rows);
  $('empty').hidden = rows.length > 0;
}

$('objects').addEventListener('click', async (event) => {
  const button = (event.target as HTMLElement).closest('button');
  const name = button?.closest('tr')?.dataset.name;
  if (!button || !name) return;
  if (button.dataset.act === 'delete') {
    await client.delete(name);
    await refresh();
  } else {
    const { content, res } = await client.get(name);
    const url = URL.createObjectURL(new Blob([content], { type: res.headers['content-type'] }));
    const a = Object.assign(document.createElement('a'), { href: url, download: name.split('/').pop() });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
});

$<HTMLInputElement>('files').addEventListener('change', (e) => {
  const input = e.target as HTMLInputElement;
  for (const file of input.files ?? []) void upload(file);
  input.value = '';
});
const drop = document.querySelector('.drop')!;
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  for (const file of (e as DragEvent).dataTransfer?.files ?? []) void upload(file);
});
$('refresh').addEventListener('click', () => void refresh());
void refresh();
