import cliProgress from 'cli-progress';

/** The progress bar on stderr (only on a terminal), with events/s, ETA and lag behind the log's head. */
export class ReplayProgress {
  private readonly bar: cliProgress.SingleBar | undefined;
  private readonly started = Date.now();
  private samples: Array<{ at: number; done: number }> = [];

  constructor(projection: string, total: number, done: number) {
    if (!process.stderr.isTTY) return;
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `replay ${projection} [{bar}] {percentage}% | {value}/{total} events | {rate} ev/s | ETA {eta_formatted} | lag {lag} | {phase}`,
        etaBuffer: 50,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Math.max(total, 1), done, { rate: 0, lag: total - done, phase: 'rebuilding' });
  }

  /** `done` events applied of `total` on the log so far (the total grows while writes continue). */
  update(done: number, total: number, phase: string): { rate: number; lag: number } {
    const now = Date.now();
    this.samples.push({ at: now, done });
    this.samples = this.samples.filter((sample) => now - sample.at <= 5_000);
    const oldest = this.samples[0];
    const rate = now > oldest.at ? Math.round(((done - oldest.done) * 1000) / (now - oldest.at)) : 0;
    const lag = Math.max(0, total - done);
    this.bar?.setTotal(Math.max(total, 1));
    this.bar?.update(done, { rate, lag, phase });
    return { rate, lag };
  }

  stop(): number {
    this.bar?.stop();
    return (Date.now() - this.started) / 1000;
  }
}
