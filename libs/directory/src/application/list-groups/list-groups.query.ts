import type { GroupView } from '../group-view.js';

/** A page of a tailnet's groups, optionally filtered and sorted (RFC 7644 §3.4.2). `startIndex` is 1-based. */
export class ListGroupsQuery {
  constructor(
    readonly tailnetId: string,
    readonly filter: string | undefined,
    readonly startIndex: number,
    readonly count: number,
    readonly withMembers: boolean,
    readonly sortBy?: string,
    readonly sortOrder?: 'ascending' | 'descending',
  ) {}
}

export type GroupPage = { totalResults: number; startIndex: number; groups: GroupView[] };
