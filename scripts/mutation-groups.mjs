// The module groups `npm run mutation` mutates, each with the test files that cover it (only
// those run, so a group finishes in minutes on two cores).
export const groups = {
  authorization: {
    mutate: ['src/server/ops/authorization.ts'],
    tests: ['test/server/authorization-matrix.test.ts', 'test/integration/buckets-access.test.ts', 'test/integration/buckets-policy.test.ts'],
  },
  'referer-and-session-policy': {
    mutate: ['src/server/referer.ts', 'src/server/session-policy.ts'],
    tests: ['test/integration/buckets-access.test.ts', 'test/unit/session-policy.test.ts', 'test/integration/sts.test.ts'],
  },
  'bucket-policy': {
    mutate: ['src/server/policy.ts'],
    tests: ['test/integration/buckets-policy.test.ts', 'test/integration/buckets-access.test.ts'],
  },
  'signature-verification': {
    mutate: ['src/server/auth.ts'],
    tests: [
      'test/server/hardening.test.ts', 'test/integration/round-trip.test.ts', 'test/integration/sts.test.ts',
      'test/integration/post-object.test.ts', 'test/integration/secrets.test.ts', 'test/oracle/ali-oss-round-trip.test.ts',
    ],
  },
  signers: {
    mutate: ['src/core/sign-v1.ts', 'src/core/sign-v4.ts'],
    tests: ['test/unit/signing-vectors.test.ts', 'test/unit/encoding.test.ts'],
  },
  crc64: {
    mutate: ['src/core/crc64.ts'],
    tests: ['test/unit/crc64.test.ts'],
  },
  'checkpoint-resume': {
    mutate: ['src/client/multipart/checkpoint.ts'],
    tests: ['test/unit/checkpoint-same-bytes.test.ts', 'test/unit/checkpoint-checks.test.ts', 'test/integration/multipart-upload.test.ts', 'test/integration/node-adapter.test.ts'],
  },
};
