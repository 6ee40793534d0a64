// Feature page: image helpers (ImageClient), to measure what they cost beside page (a).
import { ImageClient } from 'oss-fetch';

const images = new ImageClient({ region: 'oss-cn-hangzhou', bucket: 'photos', refreshSTSToken: async () => (await fetch('/api/sts')).json() });
globalThis.thumb = (name) => images.get(`${name}@200w_200h`);
