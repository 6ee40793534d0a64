// Feature page: page (a) with the v1Signing feature, to measure what turning it on costs.
import { OSSCore, put, v1Signing } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
  features: [v1Signing],
});
globalThis.upload = (file) => put(core, file.name, file);
