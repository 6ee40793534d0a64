// Feature page: page (a) with the uploadCallbacks feature, to measure what turning it on costs.
import { OSSCore, put, uploadCallbacks } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
  features: [uploadCallbacks],
});
globalThis.upload = (file) => put(core, file.name, file);
