// Size page (a): the browser-upload page: STS keys refreshed from the page's back end, small files
// with `put`, large ones with `multipartUpload` and progress.
import { OSSCore, multipartUpload, put } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
});
globalThis.upload = (file, onProgress) =>
  file.size > 8 * 1024 * 1024 ? multipartUpload(core, file.name, file, { onProgress }) : put(core, file.name, file);
