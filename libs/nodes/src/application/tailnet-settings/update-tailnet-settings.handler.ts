import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL } from '#roster/platform';
import { InvalidNodeInputError } from '../../domain/node.errors.js';
import { MAX_KEY_EXPIRY_DAYS, MIN_KEY_EXPIRY_DAYS } from '../../domain/node.js';
import type { TailnetSettings } from './tailnet-settings.js';
import { UpdateTailnetSettingsCommand } from './update-tailnet-settings.command.js';

@CommandHandler(UpdateTailnetSettingsCommand)
export class UpdateTailnetSettingsHandler implements ICommandHandler<UpdateTailnetSettingsCommand, TailnetSettings> {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async execute({ tailnetId, devicesKeyDurationDays: days }: UpdateTailnetSettingsCommand): Promise<TailnetSettings> {
    if (!Number.isInteger(days) || days < MIN_KEY_EXPIRY_DAYS || days > MAX_KEY_EXPIRY_DAYS) {
      throw new InvalidNodeInputError(`devicesKeyDurationDays must be a whole number of days from ${MIN_KEY_EXPIRY_DAYS} to ${MAX_KEY_EXPIRY_DAYS}`);
    }
    await this.pool.query('UPDATE control.tailnets SET devices_key_duration_days = $2 WHERE id = $1', [tailnetId, days]);
    return { devicesKeyDurationDays: days };
  }
}
