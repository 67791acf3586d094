/** Why and when a node lost or regained access, and every other change to it, in log order. */
export class GetNodeHistoryQuery {
  constructor(
    readonly tailnetId: string,
    readonly nodeId: string,
  ) {}
}
