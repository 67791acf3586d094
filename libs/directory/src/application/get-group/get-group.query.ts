export class GetGroupQuery {
  constructor(
    readonly tailnetId: string,
    readonly groupId: string,
    readonly withMembers: boolean,
  ) {}
}
