// The bundle-size budgets of issue 17 (min + gzip -9 bytes, each held by esbuild one file and
// Vite): key, page under scripts/size/, label, budget. The gate (size.mjs) and the anatomy
// report (size-anatomy.mjs) read them here.
export const BUDGETS = [
  ['a', 'put-page.js', '(a) OSSCore + put + STS refresh', 6000],
  ['b', 'upload-page.js', '(b) upload page: put + multipartUpload (progress, abort) + listAll', 12000],
  ['c', 'full-client.js', '(c) the whole OSSClient, every feature', 35000],
];
