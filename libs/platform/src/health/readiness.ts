/** One dependency a service needs before it may take traffic; `check` throws or resolves to false when it is not. */
export type ReadinessCheck = { name: string; check: () => Promise<boolean | Record<string, unknown>> };

export const READINESS_CHECKS = Symbol('ReadinessChecks');

const CHECK_TIMEOUT_MS = 2_000;

export async function evaluateReadiness(checks: ReadinessCheck[]) {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        const outcome = await Promise.race([
          check(),
          new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS)),
        ]);
        const ready = outcome !== false && !(typeof outcome === 'object' && outcome.ready === false);
        return { name, ready, ...(typeof outcome === 'object' ? { details: outcome } : {}) };
      } catch (error) {
        return { name, ready: false, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  return { ready: results.every((result) => result.ready), checks: results };
}
