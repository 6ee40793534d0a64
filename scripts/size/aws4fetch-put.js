// Comparison page: aws4fetch, a V4-signed PUT (S3's signer; no retries, STS refresh or error parsing).
import { AwsClient } from 'aws4fetch';

const aws = new AwsClient({ accessKeyId: 'id', secretAccessKey: 'secret', sessionToken: 'token', service: 's3', region: 'us-east-1' });
globalThis.upload = (file) => aws.fetch(`https://uploads.s3.amazonaws.com/${encodeURIComponent(file.name)}`, { method: 'PUT', body: file });
