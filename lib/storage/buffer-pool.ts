/**
 * A fixed set of buffers that objects' bytes are read into and reused: a buffer is handed out again
 * only after whoever took it has released it (its bytes written, or consumed by a deflater). Reading
 * into a new buffer each time instead leaves a trail of 1 MiB buffers that outlive V8's young
 * generation and stay resident until a full collection.
 */
export class BufferPool {
  private readonly free: Buffer[];
  private readonly waiting: (() => void)[] = [];

  constructor(count: number, bufferBytes: number) {
    this.free = Array.from({ length: count }, () => Buffer.allocUnsafe(bufferBytes));
  }

  /** A free buffer, as soon as there is one, with the function that gives it back (once). */
  async take(): Promise<{ buffer: Buffer; release: () => void }> {
    while (this.free.length === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const buffer = this.free.pop()!;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.free.push(buffer);
      this.waiting.shift()?.();
    };
    return { buffer, release };
  }
}
