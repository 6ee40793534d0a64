// Not a budget page: the pieces every signed and checked `put` carries whatever the design
// around them (V4 signer, CRC-64, argument checks with their messages, the error classes), to
// show how much of budget (b) they take on their own.
import { signV4Header } from '../../src/core/sign-v4.ts';
import { Crc64 } from '../../src/core/crc64.ts';
import { assertBucketName, assertMeta, assertObjectKey } from '../../src/core/validate.ts';
import { OSSArgumentError, OSSError } from '../../src/core/errors.ts';

globalThis.floor = { signV4Header, Crc64, assertBucketName, assertMeta, assertObjectKey, OSSArgumentError, OSSError };
