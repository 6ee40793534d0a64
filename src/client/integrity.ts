// What every integrity check shares, with or without the crc64Checks feature.

export const CRC_HEADER = 'x-oss-hash-crc64ecma';

/** fetch decodes a compressed body: its bytes are then neither the stored ones nor Content-Length long. */
export function decodedByFetch(response: Response): boolean {
  const encoding = response.headers.get('content-encoding');
  return encoding !== null && encoding !== '' && encoding !== 'identity';
}
