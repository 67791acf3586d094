import { Body, Controller, Get, Patch, Req, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import { GetTailnetSettingsQuery, UpdateTailnetSettingsCommand, type TailnetSettings } from '#roster/nodes';
import { AdminKeyGuard, type AdminRequest } from '#roster/tailnets';
import { AdminExceptionFilter } from './admin-exception.filter.js';
import { parseAdminInput } from './admin-request-body.js';

/** Tailnet settings (Tailscale's `/tailnet/{tailnet}/settings`): for now the default device key duration. */
@Controller('api/v2/tailnet/:tailnet/settings')
@UseGuards(AdminKeyGuard)
@UseFilters(AdminExceptionFilter)
export class SettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  get(@Req() request: AdminRequest) {
    return this.queries.execute<GetTailnetSettingsQuery, TailnetSettings>(new GetTailnetSettingsQuery(request.principal!.tailnetId));
  }

  @Patch()
  update(@Req() request: AdminRequest, @Body() body: unknown) {
    const { devicesKeyDurationDays } = parseAdminInput(z.strictObject({ devicesKeyDurationDays: z.number() }), body);
    return this.commands.execute<UpdateTailnetSettingsCommand, TailnetSettings>(
      new UpdateTailnetSettingsCommand(request.principal!.tailnetId, devicesKeyDurationDays),
    );
  }
}
