/**
 * Hands out small dense integers for records, reusing those of removed records, so per-record
 * caches can be plain arrays that stay as large as the biggest the tailnet has been, not as
 * large as its whole history.
 */
export class SlotAllocator {
  private readonly released: number[] = [];
  private next = 0;

  take(): number {
    return this.released.pop() ?? this.next++;
  }

  release(slot: number): void {
    this.released.push(slot);
  }
}
