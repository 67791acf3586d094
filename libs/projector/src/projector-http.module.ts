import { Module } from '@nestjs/common';
import { HealthController, READINESS_CHECKS, RosterMetrics, type ReadinessCheck } from '#roster/platform';

/** The projector's HTTP surface: health, readiness (caught up with the log) and metrics. */
@Module({})
export class ProjectorHttpModule {
  static register(metrics: RosterMetrics, checks: ReadinessCheck[]) {
    return {
      module: ProjectorHttpModule,
      controllers: [HealthController],
      providers: [
        { provide: RosterMetrics, useValue: metrics },
        { provide: READINESS_CHECKS, useValue: checks },
      ],
    };
  }
}
