export class GetUserQuery {
  constructor(
    readonly tailnetId: string,
    readonly userId: string,
  ) {}
}
