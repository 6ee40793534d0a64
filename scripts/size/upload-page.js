// Size page (b): the browser-upload page: STS keys refreshed from the page's back end, small files
// with `put`, large ones with `multipartUpload` (progress per part, abort), and a listing.
import { OSSCore, listAll, multipartUpload, put } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
});
const controller = new AbortController();
globalThis.cancel = () => controller.abort();
globalThis.upload = (file, onProgress) =>
  file.size > 8 * 1024 * 1024
    ? multipartUpload(core, file.name, file, { onProgress, signal: controller.signal })
    : put(core, file.name, file, { signal: controller.signal });
globalThis.list = async (prefix) => {
  const names = [];
  for await (const o of listAll(core, { prefix })) names.push(o.name);
  return names;
};
