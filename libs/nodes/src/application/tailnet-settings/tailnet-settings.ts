/** Tailnet-wide device settings, named as in Tailscale's `/tailnet/{tailnet}/settings`. */
export type TailnetSettings = { devicesKeyDurationDays: number };
