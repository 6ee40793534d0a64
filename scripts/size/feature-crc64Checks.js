// Feature page: page (a) with the crc64Checks feature, to measure what turning it on costs.
import { OSSCore, put, crc64Checks } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
  features: [crc64Checks],
});
globalThis.upload = (file) => put(core, file.name, file);
