const ISO_8601_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Whether `text` is an xsd:dateTime-style ISO 8601 timestamp (RFC 7643 §2.3.5) with a real calendar date, so that
 * PostgreSQL's timestamptz input accepts it. Date.parse alone is too lenient ("2024-02-30" rolls over to March).
 */
export function isIsoDateTime(text: string): boolean {
  const match = ISO_8601_DATE_TIME.exec(text);
  if (!match) return false;
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60
  );
}
