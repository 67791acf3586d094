import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res, UseGuards, UsePipes } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import {
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupQuery,
  ListGroupsQuery,
  PatchGroupCommand,
  ReplaceGroupCommand,
  type GroupPage,
  type GroupView,
  type ModifiedGroup,
} from '#roster/directory';
import { ROSTER_CONFIG, type RosterConfig } from '#roster/platform';
import { resolveAttributePath, selectAttributes, type AttributeSelection } from '#roster/scim';
import { renderGroup } from './group-resource.js';
import { ifMatchVersion } from './if-match.js';
import { pagingOf } from './paging.js';
import { TailnetRateLimitGuard } from './rate-limit.guard.js';
import { actorOf, sortOrderOf, type ListParameters } from './request-parameters.js';
import { ScimAuthGuard } from './scim-auth.guard.js';
import { SCIM_CONTENT_TYPE, etag, listResponse } from './scim-media.js';
import type { ScimRequest } from './scim-principal.js';
import { SingleValuedQueryPipe } from './single-valued-query.pipe.js';

@Controller('scim/v2/Groups')
@UseGuards(ScimAuthGuard, TailnetRateLimitGuard)
@UsePipes(SingleValuedQueryPipe)
export class GroupsController {
  private readonly baseUrl: string;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(ROSTER_CONFIG) config: RosterConfig,
  ) {
    this.baseUrl = config.scimBaseUrl;
  }

  @Post()
  @HttpCode(201)
  async create(@Req() request: ScimRequest, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const created = await this.commands.execute<CreateGroupCommand, ModifiedGroup>(
      new CreateGroupCommand(request.principal!.tailnetId, body, actorOf(request), request.correlationId!),
    );
    const resource = this.render(created);
    void reply.header('location', resource.meta.location);
    return this.respond(reply, created.version, resource);
  }

  @Get(':id')
  async get(@Req() request: ScimRequest, @Param('id') id: string, @Query() selection: AttributeSelection, @Res({ passthrough: true }) reply: FastifyReply) {
    const group = await this.queries.execute<GetGroupQuery, GroupView>(
      new GetGroupQuery(request.principal!.tailnetId, id, wantsMembers(selection)),
    );
    return this.respond(reply, group.version, selectAttributes('Group', renderGroup(this.baseUrl, group), selection));
  }

  @Get()
  async list(@Req() request: ScimRequest, @Query() query: ListParameters, @Res({ passthrough: true }) reply: FastifyReply) {
    const { startIndex, count } = pagingOf(query);
    const page = await this.queries.execute<ListGroupsQuery, GroupPage>(
      new ListGroupsQuery(request.principal!.tailnetId, query.filter, startIndex, count, wantsMembers(query), query.sortBy, sortOrderOf(query.sortOrder)),
    );
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    const resources = page.groups.map((group) => selectAttributes('Group', renderGroup(this.baseUrl, group), query));
    return listResponse(page.totalResults, page.startIndex, resources);
  }

  @Put(':id')
  async replace(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const modified = await this.commands.execute<ReplaceGroupCommand, ModifiedGroup>(
      new ReplaceGroupCommand(this.target(request, id, ifMatch), body, actorOf(request), request.correlationId!),
    );
    return this.respond(reply, modified.version, this.render(modified));
  }

  /** 204 without a body, as Entra asks for group PATCHes (and Okta accepts). */
  @Patch(':id')
  @HttpCode(204)
  async patch(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const modified = await this.commands.execute<PatchGroupCommand, ModifiedGroup>(
      new PatchGroupCommand(this.target(request, id, ifMatch), body, actorOf(request), request.correlationId!),
    );
    void reply.header('etag', etag(modified.version));
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() request: ScimRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.commands.execute<DeleteGroupCommand, ModifiedGroup>(
      new DeleteGroupCommand(this.target(request, id, ifMatch), actorOf(request), request.correlationId!),
    );
  }

  private target(request: ScimRequest, groupId: string, ifMatch: string | undefined) {
    return { tailnetId: request.principal!.tailnetId, groupId, ifMatchVersion: ifMatchVersion(ifMatch) };
  }

  private render({ groupId, version, state }: ModifiedGroup) {
    return renderGroup(this.baseUrl, {
      id: groupId,
      displayName: state.displayName,
      externalId: state.externalId,
      members: state.members.map((value) => ({ value })),
      version,
      created: state.created,
      lastModified: state.lastModified,
    });
  }

  private respond<T>(reply: FastifyReply, version: number, body: T): T {
    void reply.header('content-type', SCIM_CONTENT_TYPE).header('etag', etag(version));
    return body;
  }
}

/** Members are loaded only when the response will carry them; Entra asks for groups without them. */
function wantsMembers(selection: AttributeSelection): boolean {
  const named = (list: string | undefined) =>
    (list ?? '').split(',').some((name) => resolveAttributePath('Group', name.trim())?.attribute.name === 'members');
  if (selection.attributes) return named(selection.attributes);
  return !named(selection.excludedAttributes);
}
