// Feature page: page (a) with the mimeTypes feature, to measure what turning it on costs.
import { OSSCore, put, mimeTypes } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
  features: [mimeTypes],
});
globalThis.upload = (file) => put(core, file.name, file);
