// The local OSS server as a Worker (createHandler + memory storage), for tests of Workers code.
import { serverWorker } from '../../src/server/web.js';

export default serverWorker({ buckets: ['in-worker'] });
