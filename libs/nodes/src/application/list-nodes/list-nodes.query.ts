import type { NodeAccessState } from '../../domain/node-access.js';

export type NodeListFilter = {
  state?: NodeAccessState;
  /** The owner, by user id or userName. */
  user?: string;
  /** Keys that expire (or expired) before this instant; nodes with expiry disabled never match. */
  expiringBefore?: Date;
  limit: number;
};

export class ListNodesQuery {
  constructor(
    readonly tailnetId: string,
    readonly filter: NodeListFilter,
  ) {}
}
