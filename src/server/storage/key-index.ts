// The sorted key index both stores list from: binary search over keys in UTF-8 byte order.
import { compareUtf8, type ListOptions } from './types.js';

/** Keys kept sorted in UTF-8 byte order next to a map of their values. */
export class KeyIndex<T> {
  private constructor(
    private readonly keys: string[],
    private readonly values: Map<string, T>,
  ) {}

  static empty<T>(): KeyIndex<T> {
    return new KeyIndex<T>([], new Map());
  }

  /** Builds an index from unordered entries with one sort. */
  static from<T>(entries: Iterable<[string, T]>): KeyIndex<T> {
    const values = new Map(entries);
    return new KeyIndex([...values.keys()].sort(compareUtf8), values);
  }

  get size(): number {
    return this.keys.length;
  }

  get(key: string): T | undefined {
    return this.values.get(key);
  }

  set(key: string, value: T): void {
    if (!this.values.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
    this.values.set(key, value);
  }

  delete(key: string): boolean {
    if (!this.values.delete(key)) return false;
    this.keys.splice(this.lowerBound(key), 1);
    return true;
  }

  /**
   * Entries in key order, starting at the first key that has `prefix` and is greater than
   * `after`, stopping once keys leave the prefix. A step after a write re-searches from the last
   * key yielded, so writes between steps neither skip nor repeat keys.
   */
  *range({ prefix = '', after }: ListOptions = {}): Generator<[string, T]> {
    let i = this.startOf(prefix, after);
    while (i < this.keys.length) {
      const key = this.keys[i]!;
      if (!key.startsWith(prefix)) return;
      yield [key, this.values.get(key)!];
      // Unchanged at i (no write moved it): the next key is at i + 1, without a search per key.
      i = this.keys[i] === key ? i + 1 : this.upperBound(key);
    }
  }

  private startOf(prefix: string, after: string | undefined): number {
    const atPrefix = this.lowerBound(prefix);
    return after === undefined ? atPrefix : Math.max(atPrefix, this.upperBound(after));
  }

  /** First position whose key is >= `key`. */
  private lowerBound(key: string): number {
    return this.search((k) => compareUtf8(k, key) < 0);
  }

  /** First position whose key is > `key`. */
  private upperBound(key: string): number {
    return this.search((k) => compareUtf8(k, key) <= 0);
  }

  /** First position where `before` turns false (it is true for a prefix of the keys). */
  private search(before: (k: string) => boolean): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.keys[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
