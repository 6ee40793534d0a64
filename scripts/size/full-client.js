// Size page (c): the whole OSSClient, every method.
import { OSSClient } from 'oss-fetch';

globalThis.client = new OSSClient({ region: 'oss-cn-hangzhou', bucket: 'uploads', accessKeyId: 'id', accessKeySecret: 'secret' });
