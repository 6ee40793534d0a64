// Size page (b): a page that only uploads with `put`.
import { OSSCore, put } from 'oss-fetch';

const core = new OSSCore({ region: 'oss-cn-hangzhou', bucket: 'uploads', accessKeyId: 'id', accessKeySecret: 'secret' });
globalThis.upload = (file) => put(core, file.name, file);
