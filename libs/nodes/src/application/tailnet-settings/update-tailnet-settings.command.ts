/**
 * Changes the key duration for keys issued from now on (registrations and re-authentications); keys already
 * issued keep their expiry, as in Tailscale.
 */
export class UpdateTailnetSettingsCommand {
  constructor(
    readonly tailnetId: string,
    readonly devicesKeyDurationDays: number,
  ) {}
}
