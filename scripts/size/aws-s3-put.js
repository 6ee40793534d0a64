// Comparison page: AWS SDK v3, the smallest upload it allows (S3Client + PutObjectCommand).
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const client = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'id', secretAccessKey: 'secret' } });
globalThis.upload = (file) => client.send(new PutObjectCommand({ Bucket: 'uploads', Key: file.name, Body: file }));
