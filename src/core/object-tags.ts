// Object tagging rules, shared by the client (refuse before sending) and the local server
// (refuse what other clients send): at most 10 tags, keys 1-128 and values 0-256 characters of
// letters, digits, space and `+ - = . _ : /`.

export const MAX_OBJECT_TAGS = 10;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
// OSS's documented set; ali-oss's own regex accidentally allows `,` `;` `<` too (its `+-=` is a range).
const TAG_CHARS = /^[A-Za-z0-9 +\-=._:/]*$/;

/** What is wrong with one tag, or undefined when it is fine. */
export function objectTagProblem(key: unknown, value: unknown): string | undefined {
  if (typeof key !== 'string') return 'tag keys must be strings';
  if (typeof value !== 'string') return `the value of tag "${key}" must be a string`;
  if (key.length < 1 || key.length > MAX_KEY_LENGTH) return `tag key "${key}" must be 1-${MAX_KEY_LENGTH} characters`;
  if (value.length > MAX_VALUE_LENGTH) return `the value of tag "${key}" is longer than ${MAX_VALUE_LENGTH} characters`;
  if (!TAG_CHARS.test(key) || !TAG_CHARS.test(value)) {
    return `tag "${key}" may contain only letters, digits, spaces and + - = . _ : /`;
  }
  return undefined;
}
