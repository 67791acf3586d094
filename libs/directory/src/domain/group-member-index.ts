/**
 * Which users a group's `members` list holds, and where, so that a change naming a few of them costs as those few.
 * IdPs push a big group in batches of 100 that queue up for the group and are decided one after another; building
 * a Set of 5,000 ids for each of them cost about a millisecond per batch, serialised. An index is built once for the
 * list it describes and brought up to date with each change made through it (see changeGroupMembers).
 */
export class GroupMemberIndex {
  private readonly positions = new Map<string, number>();
  private nextPosition = 0;
  private list: readonly string[];

  constructor(members: readonly string[]) {
    this.list = members;
    for (const userId of members) this.positions.set(userId, this.nextPosition++);
  }

  /** True while the index is about exactly this list (a change made without it leaves the index behind). */
  describes(members: readonly string[]): boolean {
    return this.list === members;
  }

  has(userId: string): boolean {
    return this.positions.has(userId);
  }

  /** The members among `userIds`, once each, in the group's order. */
  membersAmong(userIds: Iterable<string>): string[] {
    const found = new Set<string>();
    for (const userId of userIds) if (this.positions.has(userId)) found.add(userId);
    return [...found].sort((a, b) => this.positions.get(a)! - this.positions.get(b)!);
  }

  /** The group's list is now `members`: `left` are out of it, then `joined` were appended to it. */
  moveTo(members: readonly string[], left: readonly string[], joined: readonly string[]): void {
    for (const userId of left) this.positions.delete(userId);
    for (const userId of joined) this.positions.set(userId, this.nextPosition++);
    this.list = members;
  }
}
