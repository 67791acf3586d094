import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res, UseGuards, UsePipes } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import {
  CreateUserCommand,
  DeleteUserCommand,
  GetUserQuery,
  ListUsersQuery,
  PatchUserCommand,
  ReplaceUserCommand,
  type CreatedUser,
  type ModifiedUser,
  type StoredUser,
  type UserPage,
} from '#roster/directory';
import { ROSTER_CONFIG, type RosterConfig } from '#roster/platform';
import { selectAttributes, selectsEverything, type AttributeSelection } from '#roster/scim';
import { ifMatchVersion } from './if-match.js';
import { pagingOf } from './paging.js';
import { actorOf, sortOrderOf, type ListParameters } from './request-parameters.js';
import { TailnetRateLimitGuard } from './rate-limit.guard.js';
import { ScimAuthGuard } from './scim-auth.guard.js';
import { SCIM_CONTENT_TYPE, etag, listResponse, listResponseJson } from './scim-media.js';
import type { ScimRequest } from './scim-principal.js';
import { renderStoredUserJson, renderUser, storedUserObject } from './user-resource.js';
import { SingleValuedQueryPipe } from './single-valued-query.pipe.js';

@Controller('scim/v2/Users')
@UseGuards(ScimAuthGuard, TailnetRateLimitGuard)
@UsePipes(SingleValuedQueryPipe)
export class UsersController {
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
    const principal = request.principal!;
    const created = await this.commands.execute<CreateUserCommand, CreatedUser>(
      new CreateUserCommand(principal.tailnetId, body, actorOf(request), request.correlationId!),
    );
    const resource = renderUser(this.baseUrl, {
      id: created.userId,
      attributes: created.attributes,
      version: created.version,
      created: created.created,
      lastModified: created.created,
    });
    void reply.header('content-type', SCIM_CONTENT_TYPE).header('location', resource.meta.location).header('etag', etag(created.version));
    return resource;
  }

  @Put(':id')
  async replace(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const modified = await this.commands.execute<ReplaceUserCommand, ModifiedUser>(
      new ReplaceUserCommand(this.target(request, id, ifMatch), body, actorOf(request), request.correlationId!),
    );
    return this.respondWith(reply, modified);
  }

  /** Answers 200 with the resource: Entra accepts it as well as 204, and Okta wants the body. */
  @Patch(':id')
  async patch(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const modified = await this.commands.execute<PatchUserCommand, ModifiedUser>(
      new PatchUserCommand(this.target(request, id, ifMatch), body, actorOf(request), request.correlationId!),
    );
    return this.respondWith(reply, modified);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() request: ScimRequest, @Param('id') id: string, @Headers('if-match') ifMatch: string | undefined) {
    await this.commands.execute<DeleteUserCommand, ModifiedUser>(
      new DeleteUserCommand(this.target(request, id, ifMatch), actorOf(request), request.correlationId!),
    );
  }

  @Get(':id')
  async get(
    @Req() request: ScimRequest,
    @Param('id') id: string,
    @Query() selection: AttributeSelection,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const user = await this.queries.execute<GetUserQuery, StoredUser>(new GetUserQuery(request.principal!.tailnetId, id));
    void reply.header('content-type', SCIM_CONTENT_TYPE).header('etag', etag(user.version));
    if (selectsEverything('User', selection)) return renderStoredUserJson(this.baseUrl, user);
    return selectAttributes('User', storedUserObject(this.baseUrl, user), selection);
  }

  @Get()
  async list(
    @Req() request: ScimRequest,
    @Query() query: ListParameters,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { startIndex, count } = pagingOf(query);
    const page = await this.queries.execute<ListUsersQuery, UserPage>(
      new ListUsersQuery(request.principal!.tailnetId, query.filter, startIndex, count, query.sortBy, sortOrderOf(query.sortOrder)),
    );
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    if (selectsEverything('User', query)) {
      return listResponseJson(page.totalResults, page.startIndex, page.users.map((user) => renderStoredUserJson(this.baseUrl, user)));
    }
    const resources = page.users.map((user) => selectAttributes('User', storedUserObject(this.baseUrl, user), query));
    return listResponse(page.totalResults, page.startIndex, resources);
  }

  private target(request: ScimRequest, userId: string, ifMatch: string | undefined) {
    return { tailnetId: request.principal!.tailnetId, userId, ifMatchVersion: ifMatchVersion(ifMatch) };
  }

  private respondWith(reply: FastifyReply, modified: ModifiedUser) {
    void reply.header('content-type', SCIM_CONTENT_TYPE).header('etag', etag(modified.version));
    return renderUser(this.baseUrl, {
      id: modified.userId,
      attributes: modified.state.attributes,
      version: modified.version,
      created: modified.state.created,
      lastModified: modified.state.lastModified,
    });
  }
}
