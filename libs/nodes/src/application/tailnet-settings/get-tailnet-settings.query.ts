export class GetTailnetSettingsQuery {
  constructor(readonly tailnetId: string) {}
}
