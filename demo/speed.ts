// The demo's speed readout. A resumed upload reports the parts its checkpoint already holds as
// `loaded` too, within the first second; counting them as sent showed several times the real
// speed (88 → 55 → 36 MB/s before settling at 6–9 MB/s). Only bytes sent in this session count.

/** Smoothed upload speed from an upload's `onProgress` reports. */
export class SpeedMeter {
  #at: number;
  #sent = 0;
  #bytesPerSecond = 0;

  /**
   * @param alreadyUploaded bytes the upload had before this session (its checkpoint's parts)
   * @param start the time the session started, in ms (`performance.now()`)
   * @param intervalMs the shortest time between two samples
   */
  constructor(readonly alreadyUploaded: number, start: number, readonly intervalMs = 500) {
    this.#at = start;
  }

  /** Bytes per second so far: 0 until the first sample, then 60 % the previous value and 40 % the last interval's. */
  get bytesPerSecond(): number {
    return this.#bytesPerSecond;
  }

  /** Take a progress report (`loaded` of the whole upload) at time `now` in ms; returns bytesPerSecond. */
  update(loaded: number, now: number): number {
    if (now - this.#at <= this.intervalMs) return this.#bytesPerSecond;
    const sent = Math.max(this.#sent, loaded - this.alreadyUploaded);
    const rate = ((sent - this.#sent) / (now - this.#at)) * 1000;
    this.#bytesPerSecond = this.#bytesPerSecond ? this.#bytesPerSecond * 0.6 + rate * 0.4 : rate;
    this.#at = now;
    this.#sent = sent;
    return this.#bytesPerSecond;
  }
}
