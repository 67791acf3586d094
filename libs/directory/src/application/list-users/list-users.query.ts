import type { StoredUser } from '../user-view.js';

/** A page of a tailnet's users, optionally filtered and sorted (RFC 7644 §3.4.2). `startIndex` is 1-based. */
export class ListUsersQuery {
  constructor(
    readonly tailnetId: string,
    readonly filter: string | undefined,
    readonly startIndex: number,
    readonly count: number,
    readonly sortBy?: string,
    readonly sortOrder?: 'ascending' | 'descending',
  ) {}
}

export type UserPage = { totalResults: number; startIndex: number; users: StoredUser[] };
