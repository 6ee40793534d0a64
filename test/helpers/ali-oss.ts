// The official ali-oss client pointed at a local server, as the oracle tests build it.

// @ts-expect-error ali-oss ships no types
import OSS from 'ali-oss';
import type { StartedServer } from '../../src/server/index.js';

/** An ali-oss client with the server's development keys (or `options`' own) and region oss-cn-hangzhou. */
export function aliOssClient(server: StartedServer, options: Record<string, unknown> = {}): any {
  return new OSS({
    accessKeyId: server.clientOptions.accessKeyId,
    accessKeySecret: server.clientOptions.accessKeySecret,
    endpoint: server.url,
    region: 'oss-cn-hangzhou',
    ...options,
  });
}
