export class GetNodeQuery {
  constructor(
    readonly tailnetId: string,
    readonly nodeId: string,
  ) {}
}
