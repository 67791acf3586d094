/** A bad argument or option: reported without a stack, exit code 2. */
export class CliUsageError extends Error {}
