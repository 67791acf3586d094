const MAX_DESCRIBED_LENGTH = 60;

/** Renders a received value for an error detail, short enough to keep the detail readable. */
export function describeValue(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > MAX_DESCRIBED_LENGTH ? `${json.slice(0, MAX_DESCRIBED_LENGTH)}…` : json;
}
