import { Body, Controller, Get, Headers, HttpCode, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { hujsonValue } from '#roster/acl';
import { TailnetPolicies, type CurrentPolicy } from '#roster/policy';
import { AdminKeyGuard, type AdminRequest } from '#roster/tailnets';
import { AdminExceptionFilter } from './admin-exception.filter.js';
import { adminActorOf } from './admin-request.js';

const HUJSON = 'application/hujson';

/**
 * The tailnet policy file, as in Tailscale's API: read it (HuJSON verbatim, or plain JSON on request), replace it
 * (optimistically, with `If-Match`), or validate a text without saving it. Bodies arrive as raw text (see
 * policy-body-parsers.ts), so comments and formatting survive.
 */
@Controller('api/v2/tailnet/:tailnet/acl')
@UseGuards(AdminKeyGuard)
@UseFilters(AdminExceptionFilter)
export class PolicyController {
  constructor(private readonly policies: TailnetPolicies) {}

  @Get()
  async get(@Req() request: AdminRequest, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    return respond(reply, accept, await this.policies.current(request.principal!.tailnetId));
  }

  @Post()
  @HttpCode(200)
  async replace(
    @Req() request: AdminRequest,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const saved = await this.policies.replace({
      tailnetId: request.principal!.tailnetId,
      text: body,
      ifMatch,
      actor: adminActorOf(request),
      correlationId: request.correlationId!,
    });
    return respond(reply, accept, saved);
  }

  @Post('validate')
  @HttpCode(200)
  async validate(@Req() request: AdminRequest, @Body() body: unknown) {
    const review = await this.policies.validate(request.principal!.tailnetId, body);
    return { valid: review.valid, message: review.summary, errors: review.errors, failedTests: review.failedTests, warnings: review.warnings };
  }
}

/** HuJSON unless the client asks for JSON only; the ETag is the same either way (it tags the stored text). */
function respond(reply: FastifyReply, accept: string | undefined, policy: CurrentPolicy) {
  void reply.header('etag', policy.etag);
  if (wantsJson(accept)) {
    void reply.header('content-type', 'application/json; charset=utf-8');
    return hujsonValue(policy.policy);
  }
  void reply.header('content-type', `${HUJSON}; charset=utf-8`);
  return policy.policy;
}

function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && /\bapplication\/json\b/i.test(accept) && !accept.toLowerCase().includes(HUJSON);
}
