/** A growable set of small non-negative integers, one bit each: a membership test is two array reads. */
export class Bitset {
  private words = new Uint32Array(1);
  private empty = true;

  get isEmpty(): boolean {
    return this.empty;
  }

  add(member: number): void {
    const word = member >>> 5;
    if (word >= this.words.length) this.grow(word + 1);
    this.words[word]! |= 1 << (member & 31);
    this.empty = false;
  }

  has(member: number): boolean {
    const word = member >>> 5;
    return word < this.words.length && (this.words[word]! & (1 << (member & 31))) !== 0;
  }

  *members(): IterableIterator<number> {
    for (let word = 0; word < this.words.length; word++) {
      for (let bit = 0; bit < 32; bit++) if ((this.words[word]! & (1 << bit)) !== 0) yield word * 32 + bit;
    }
  }

  private grow(length: number): void {
    const grown = new Uint32Array(Math.max(length, this.words.length * 2));
    grown.set(this.words);
    this.words = grown;
  }
}
