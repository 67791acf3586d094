import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL } from '#roster/platform';
import { keyExpiryDaysOf } from '../key-expiry-setting.js';
import { GetTailnetSettingsQuery } from './get-tailnet-settings.query.js';
import type { TailnetSettings } from './tailnet-settings.js';

@QueryHandler(GetTailnetSettingsQuery)
export class GetTailnetSettingsHandler implements IQueryHandler<GetTailnetSettingsQuery, TailnetSettings> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ tailnetId }: GetTailnetSettingsQuery): Promise<TailnetSettings> {
    return { devicesKeyDurationDays: await keyExpiryDaysOf(this.pool, tailnetId) };
  }
}
