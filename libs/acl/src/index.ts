export type { AccessQuestion, CheckResult, Endpoint } from './access-question.js';
export {
  compilePolicy,
  type CompiledPolicy,
  type IndexStats,
  type PolicyStatus,
  type TagApproval,
  type TagRequester,
} from './compiled-policy.js';
export type { PacketFilter, PacketFilterPort, PacketFilterRule } from './packet-filter.js';
export type {
  AclRule,
  HostAlias,
  Placed,
  PlacedDestination,
  PlacedSelector,
  Policy,
  PolicyGroup,
  PolicyTest,
  TagOwnership,
} from './policy.js';
export type { IpFamily, IpPrefix } from './ip-address.js';
export type { IssueSeverity, PolicyIssue } from './policy-issue.js';
export type { PolicyMode } from './policy-mode.js';
export { parsePolicy, type PolicyParse } from './policy-parser.js';
export { validatePolicy, type PolicyValidation, type ValidationOptions } from './policy-validator.js';
export type { PortRange } from './port-range.js';
export type { ReferenceKind } from './reference-resolver.js';
export type { AutogroupName, Selector } from './selector.js';
export type { UnresolvedReference } from './unresolved-references.js';
export { World } from './world.js';
export type {
  GroupInput,
  NodeAccess,
  NodeInput,
  UserInput,
  UserState,
  WorldGroup,
  WorldNode,
  WorldUser,
} from './world-records.js';
export { DEFAULT_POLICY } from './default-policy.js';
export { loginEmailOf } from './login-email.js';
export { hujsonValue } from './hujson-document.js';
export { tailnetIdentityDomain } from './tailnet-domain.js';
