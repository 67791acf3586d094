import { Controller, Get, Inject, Param, Query, Res, UseGuards, UsePipes } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ROSTER_CONFIG, type RosterConfig } from '#roster/platform';
import {
  RESOURCE_TYPES,
  renderSchemaResources,
  ScimError,
  type ResourceTypeDefinition,
  type ScimResourceType,
  type SchemaResource,
} from '#roster/scim';
import { TailnetRateLimitGuard } from './rate-limit.guard.js';
import { ScimAuthGuard } from './scim-auth.guard.js';
import { SCIM_CONTENT_TYPE, listResponse } from './scim-media.js';
import { renderServiceProviderConfig } from './service-provider-config.js';
import { SingleValuedQueryPipe } from './single-valued-query.pipe.js';

const RESOURCE_TYPE_SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';

const ENDPOINTS: Readonly<Record<ScimResourceType, string>> = { User: '/Users', Group: '/Groups' };

/**
 * The discovery endpoints of RFC 7644 §4. Authenticated although the RFC allows anonymous access: Entra and Okta
 * send the token anyway, and a tenant's configuration should not be probed anonymously.
 */
@Controller('scim/v2')
@UseGuards(ScimAuthGuard, TailnetRateLimitGuard)
@UsePipes(SingleValuedQueryPipe)
export class DiscoveryController {
  private readonly serviceProviderConfig: ReturnType<typeof renderServiceProviderConfig>;
  private readonly schemas: SchemaResource[];
  private readonly resourceTypes: ReturnType<typeof renderResourceType>[];

  constructor(@Inject(ROSTER_CONFIG) config: RosterConfig) {
    const baseUrl = config.scimBaseUrl;
    this.serviceProviderConfig = renderServiceProviderConfig(baseUrl);
    this.schemas = renderSchemaResources(baseUrl);
    this.resourceTypes = Object.values(RESOURCE_TYPES).map((type) => renderResourceType(type, baseUrl));
  }

  @Get('ServiceProviderConfig')
  getServiceProviderConfig(@Res({ passthrough: true }) reply: FastifyReply) {
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    return this.serviceProviderConfig;
  }

  @Get('Schemas')
  listSchemas(@Query('filter') filter: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    refuseFilter('Schemas', filter);
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    return discoveryList(this.schemas);
  }

  /** Matched case-insensitively, as the SCIM library matches schema URNs in request bodies. */
  @Get('Schemas/:id')
  getSchema(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const schema = this.schemas.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (!schema) throw notFound(id);
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    return schema;
  }

  @Get('ResourceTypes')
  listResourceTypes(@Query('filter') filter: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    refuseFilter('ResourceTypes', filter);
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    return discoveryList(this.resourceTypes);
  }

  @Get('ResourceTypes/:id')
  getResourceType(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const resourceType = this.resourceTypes.find((candidate) => candidate.id === id);
    if (!resourceType) throw notFound(id);
    void reply.header('content-type', SCIM_CONTENT_TYPE);
    return resourceType;
  }
}

/** RFC 7643 §6. The enterprise extension is optional: the gateway accepts users without it. */
function renderResourceType(type: ResourceTypeDefinition, baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA_URN],
    id: type.name,
    name: type.name,
    endpoint: ENDPOINTS[type.name],
    description: type.coreSchema.description,
    schema: type.coreSchema.id,
    schemaExtensions: type.extensions.map((extension) => ({ schema: extension.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.name}` },
  };
}


/**
 * RFC 7644 §4 says to answer a filter on discovery with 403: a 200 listing everything would let the client
 * believe every resource matched.
 */
function refuseFilter(endpoint: string, filter: string | undefined): void {
  if (filter !== undefined) throw new ScimError(403, undefined, `/${endpoint} cannot be filtered; request it without a filter`);
}

function notFound(id: string): ScimError {
  return new ScimError(404, undefined, `Resource ${id} not found`);
}

/** RFC 7644 §4: discovery lists ignore paging, so one page holds everything. */
function discoveryList<T>(resources: T[]) {
  return listResponse(resources.length, 1, resources);
}
