// Size page (a): a page that uploads with `put` and short-lived STS keys from its back end.
import { OSSCore, put } from 'oss-fetch';

const core = new OSSCore({
  region: 'oss-cn-hangzhou',
  bucket: 'uploads',
  refreshSTSToken: async () => (await fetch('/api/sts')).json(),
});
globalThis.upload = (file) => put(core, file.name, file);
