const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every Roster id (tailnet, user, group, event) is a UUID. Anything else a client sends as an id names nothing;
 * checking first keeps such input from reaching a uuid column, where PostgreSQL would reject it as an error.
 */
export function isRosterId(value: string): boolean {
  return UUID.test(value);
}
