import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { CreateUserCommand, GetUserQuery, ListUsersQuery, type CreatedUser, type UserPage, type UserView } from '#roster/directory';
import type { Actor } from '#roster/events';
import { ROSTER_CONFIG, type RosterConfig } from '#roster/platform';
import { identityProviderOf } from './identity-provider.js';
import { pagingOf } from './paging.js';
import { ScimAuthGuard } from './scim-auth.guard.js';
import { SCIM_CONTENT_TYPE, SCIM_SCHEMAS, etag } from './scim-media.js';
import type { ScimRequest } from './scim-principal.js';
import { renderUser } from './user-resource.js';

@Controller('scim/v2/Users')
@UseGuards(ScimAuthGuard)
export class UsersController {
  private readonly baseUrl: string;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(ROSTER_CONFIG) config: RosterConfig,
  ) {
    this.baseUrl = `${config.publicUrl}/scim/v2`;
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

  @Get(':id')
  async get(@Req() request: ScimRequest, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const user = await this.queries.execute<GetUserQuery, UserView>(new GetUserQuery(request.principal!.tailnetId, id));
    void reply.header('content-type', SCIM_CONTENT_TYPE).header('etag', etag(user.version));
    return renderUser(this.baseUrl, user);
  }

  @Get()
  async list(
    @Req() request: ScimRequest,
    @Query() query: { filter?: string; startIndex?: string; count?: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { startIndex, count } = pagingOf(query);
    const page = await this.queries.execute<ListUsersQuery, UserPage>(
      new ListUsersQuery(request.principal!.tailnetId, query.filter, startIndex, count),
    );
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    return {
      schemas: [SCIM_SCHEMAS.listResponse],
      totalResults: page.totalResults,
      startIndex: page.startIndex,
      itemsPerPage: page.users.length,
      Resources: page.users.map((user) => renderUser(this.baseUrl, user)),
    };
  }
}

function actorOf(request: ScimRequest): Actor {
  const idp = identityProviderOf(request.headers['user-agent']);
  return { kind: 'scim-token', id: request.principal!.tokenId, ...(idp ? { idp } : {}) };
}
