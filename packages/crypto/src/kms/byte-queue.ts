/** FIFO of buffers with exact-size reads; copies only when a read spans chunks. */
export class ByteQueue {
  #chunks: Buffer[] = [];
  #head = 0; // offset into #chunks[0]
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The first `n` queued bytes (caller checks `length`), without consuming them. */
  peek(n: number): Buffer {
    const first = this.#chunks[0];
    if (first !== undefined && first.length - this.#head >= n)
      return first.subarray(this.#head, this.#head + n);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    for (let i = 0; filled < n; i++) {
      const chunk = this.#chunks[i]!;
      const from = i === 0 ? this.#head : 0;
      filled += chunk.copy(out, filled, from, Math.min(chunk.length, from + n - filled));
    }
    return out;
  }

  /** Removes and returns exactly `n` bytes (caller checks `length` first). */
  take(n: number): Buffer {
    const first = this.#chunks[0];
    if (first !== undefined && first.length - this.#head >= n) {
      const out = first.subarray(this.#head, this.#head + n);
      this.#head += n;
      if (this.#head === first.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
      this.length -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0]!;
      const copied = chunk.copy(
        out,
        filled,
        this.#head,
        Math.min(chunk.length, this.#head + n - filled),
      );
      filled += copied;
      this.#head += copied;
      if (this.#head === chunk.length) {
        this.#chunks.shift();
        this.#head = 0;
      }
    }
    this.length -= n;
    return out;
  }
}
