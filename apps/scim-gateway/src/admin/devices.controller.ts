import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { z } from 'zod';
import {
  DeleteNodeCommand,
  GetNodeHistoryQuery,
  GetNodeQuery,
  ListNodesQuery,
  NODE_ACCESS_STATES,
  RegisterNodeCommand,
  RenewNodeKeyCommand,
  SetNodeKeyExpiryCommand,
  SetNodeTagsCommand,
  type ModifiedNode,
  type NodeHistoryEntry,
  type NodeList,
  type NodeView,
} from '#roster/nodes';
import { AdminKeyGuard, type AdminRequest } from '#roster/tailnets';
import { AdminExceptionFilter } from './admin-exception.filter.js';
import { parseAdminInput } from './admin-request-body.js';
import { adminActorOf } from './admin-request.js';

const MAX_LIST = 10_000;

const registration = z.strictObject({
  user: z.string().min(1).optional(),
  tags: z.array(z.string()).default([]),
  hostname: z.string(),
  nodeKey: z.string().optional(),
});

const listFilter = z.object({
  state: z.enum(NODE_ACCESS_STATES as [string, ...string[]]).optional(),
  user: z.string().min(1).optional(),
  expiringBefore: z.iso.datetime({ offset: true }).transform((value) => new Date(value)).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIST).default(1_000),
});

/**
 * The node registry's admin API, in the shape of Tailscale's device API but scoped by tailnet:
 * `/api/v2/tailnet/{tailnet}/devices…`. Writes answer with the device as the read model shows it once the write
 * has reached it, so what a caller gets back is what a list shows next.
 */
@Controller('api/v2/tailnet/:tailnet/devices')
@UseGuards(AdminKeyGuard)
@UseFilters(AdminExceptionFilter)
export class DevicesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  list(@Req() request: AdminRequest, @Query() query: Record<string, string>) {
    const filter = parseAdminInput(listFilter, query);
    return this.queries.execute<ListNodesQuery, NodeList>(
      new ListNodesQuery(request.principal!.tailnetId, { ...filter, state: filter.state as NodeView['access']['state'] | undefined }),
    );
  }

  @Post()
  @HttpCode(201)
  async register(@Req() request: AdminRequest, @Body() body: unknown) {
    const input = parseAdminInput(registration, body);
    const registered = await this.commands.execute<RegisterNodeCommand, ModifiedNode>(
      new RegisterNodeCommand(request.principal!.tailnetId, input, adminActorOf(request), request.correlationId!),
    );
    return this.current(request, registered);
  }

  @Get(':id')
  get(@Req() request: AdminRequest, @Param('id') id: string) {
    return this.queries.execute<GetNodeQuery, NodeView>(new GetNodeQuery(request.principal!.tailnetId, id));
  }

  @Get(':id/history')
  async history(@Req() request: AdminRequest, @Param('id') id: string) {
    const entries = await this.queries.execute<GetNodeHistoryQuery, NodeHistoryEntry[]>(new GetNodeHistoryQuery(request.principal!.tailnetId, id));
    return { id, history: entries };
  }

  /** The device re-authenticated; refused (403) while its owner is suspended or deleted. */
  @Post(':id/reauthenticate')
  @HttpCode(200)
  async reauthenticate(@Req() request: AdminRequest, @Param('id') id: string, @Body() body: unknown) {
    const { nodeKey } = parseAdminInput(z.strictObject({ nodeKey: z.string().optional() }), body);
    const renewed = await this.commands.execute<RenewNodeKeyCommand, ModifiedNode>(
      new RenewNodeKeyCommand(request.principal!.tailnetId, id, nodeKey, adminActorOf(request), request.correlationId!),
    );
    return this.current(request, renewed);
  }

  @Post(':id/key')
  @HttpCode(200)
  async key(@Req() request: AdminRequest, @Param('id') id: string, @Body() body: unknown) {
    const { keyExpiryDisabled } = parseAdminInput(z.strictObject({ keyExpiryDisabled: z.boolean() }), body);
    const changed = await this.commands.execute<SetNodeKeyExpiryCommand, ModifiedNode>(
      new SetNodeKeyExpiryCommand(request.principal!.tailnetId, id, keyExpiryDisabled, adminActorOf(request), request.correlationId!),
    );
    return this.current(request, changed);
  }

  @Post(':id/tags')
  @HttpCode(200)
  async tags(@Req() request: AdminRequest, @Param('id') id: string, @Body() body: unknown) {
    const { tags } = parseAdminInput(z.strictObject({ tags: z.array(z.string()) }), body);
    const changed = await this.commands.execute<SetNodeTagsCommand, ModifiedNode>(
      new SetNodeTagsCommand(request.principal!.tailnetId, id, tags, adminActorOf(request), request.correlationId!),
    );
    return this.current(request, changed);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() request: AdminRequest, @Param('id') id: string) {
    await this.commands.execute<DeleteNodeCommand, ModifiedNode>(
      new DeleteNodeCommand(request.principal!.tailnetId, id, adminActorOf(request), request.correlationId!),
    );
  }

  private current(request: AdminRequest, modified: ModifiedNode) {
    return this.queries.execute<GetNodeQuery, NodeView>(new GetNodeQuery(request.principal!.tailnetId, modified.nodeId));
  }
}
