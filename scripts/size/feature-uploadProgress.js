// Feature page: page (a) with the uploadProgress feature, to measure what turning it on costs.
import { OSSCore, put, uploadProgress } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
  features: [uploadProgress],
});
globalThis.upload = (file) => put(core, file.name, file);
