import { Controller, Get, Inject, Param, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import { tailnetIdentityDomain, type PacketFilter } from '#roster/acl';
import { TailnetAcl, TailnetAcls } from '#roster/acl-projection';
import { AdminKeyGuard, type AdminRequest } from '#roster/tailnets';
import { AclExceptionFilter, DeviceNotFoundError } from './acl-exception.filter.js';
import { checkQuestion } from './check-query.js';

/**
 * The ACL projector's read API, answered from memory: access checks, per-device packet filters, and the policy's
 * status (references that fail closed, and what happened to them).
 */
@Controller('api/v2/tailnet/:tailnet')
@UseGuards(AdminKeyGuard)
@UseFilters(AclExceptionFilter)
export class AclController {
  constructor(@Inject(TailnetAcls) private readonly acls: TailnetAcls) {}

  @Get('acl/check')
  check(@Req() request: AdminRequest, @Query() query: unknown) {
    const tailnet = this.tailnet(request);
    const question = checkQuestion(query, tailnet);
    if ('denied' in question) return { allowed: false, rule: null, reason: question.denied };
    const result = tailnet.check(question);
    return { allowed: result.allowed, rule: result.ruleIndex ?? null, reason: result.reason };
  }

  @Get('devices/:nodeId/packet-filter')
  packetFilter(@Req() request: AdminRequest, @Param('nodeId') nodeId: string) {
    const tailnet = this.tailnet(request);
    if (tailnet.node(nodeId) === undefined) throw new DeviceNotFoundError(nodeId);
    return renderFilter(tailnet.packetFilter(nodeId));
  }

  @Get('acl/status')
  status(@Req() request: AdminRequest) {
    return this.tailnet(request).status();
  }

  /** A tailnet whose first event has not arrived yet has no users, nodes or policy: an empty one answers for it. */
  private tailnet(request: AdminRequest): TailnetAcl {
    const tailnetId = request.principal!.tailnetId;
    return this.acls.get(tailnetId) ?? new TailnetAcl(tailnetId, tailnetIdentityDomain(tailnetId, null));
  }
}

/** In the shape of Tailscale's FilterRule (SrcIPs, DstPorts with IP and port range), in camelCase. */
function renderFilter(filter: PacketFilter) {
  return {
    version: filter.version,
    rules: filter.rules.map((rule) => ({
      srcIPs: rule.srcIps,
      dstPorts: rule.ports.map((port) => ({ ip: port.ip, ports: { first: port.first, last: port.last }, ...(port.proto === undefined ? {} : { proto: port.proto }) })),
    })),
  };
}
