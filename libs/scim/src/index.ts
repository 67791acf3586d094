export { ScimError, isScimError, type ScimErrorResponse, type ScimErrorType } from './errors/scim-error.js';

export {
  findAttributeByName,
  findSubAttribute,
  type AttributeDefinition,
  type AttributeType,
  type Mutability,
  type Returned,
  type SchemaDefinition,
  type Uniqueness,
} from './schema/attribute-definition.js';
export { resolveAttributePath, type ResolvedAttributePath } from './schema/attribute-path-resolver.js';
export { COMMON_ATTRIBUTES } from './schema/common-attributes.js';
export { ENTERPRISE_USER_SCHEMA } from './schema/enterprise-user-schema.js';
export { GROUP_SCHEMA } from './schema/group-schema.js';
export {
  renderSchemaResource,
  renderSchemaResources,
  SERVED_SCHEMAS,
  type RenderedAttribute,
  type SchemaResource,
} from './schema/render-schemas.js';
export { findExtensionSchema, RESOURCE_TYPES, type ResourceTypeDefinition, type ScimResourceType } from './schema/resource-types.js';
export {
  ENTERPRISE_USER_SCHEMA_URN,
  ERROR_SCHEMA_URN,
  GROUP_SCHEMA_URN,
  PATCH_OP_SCHEMA_URN,
  SCHEMA_SCHEMA_URN,
  USER_SCHEMA_URN,
} from './schema/schema-urns.js';
export { USER_SCHEMA } from './schema/user-schema.js';

export type { NormaliseOptions } from './resource/normalise-attributes.js';
export { normaliseGroup } from './resource/normalise-group.js';
export { normaliseUser } from './resource/normalise-user.js';
export type {
  EnterpriseUserExtension,
  GroupMember,
  LabelledValue,
  ScimAddress,
  ScimGroup,
  ScimMeta,
  ScimName,
  ScimResource,
  ScimUser,
} from './resource/scim-resource.js';
export { isEmailAddress } from './resource/user-name-rule.js';
export { selectAttributes, selectsEverything, type AttributeSelection } from './resource/attribute-selection.js';

export { DIRECTORY_GROUP_FILTER_MAPPING, DIRECTORY_USER_FILTER_MAPPING } from './filter/directory-filter-mapping.js';
export type {
  AttributeTest,
  ComparisonFilter,
  ComparisonOperator,
  Filter,
  FilterValue,
  LogicalFilter,
  NotFilter,
  PresentFilter,
  TextOperator,
  ValuePathFilter,
} from './filter/filter-ast.js';
export type { ComparableType } from './filter/comparison-operand.js';
export type { AttributeMapping, ChildrenMapping, ColumnMapping, ColumnSpec, FilterMapping } from './filter/filter-mapping.js';
export { exactMatchOf } from './filter/exact-match.js';
export { parseFilter } from './filter/filter-parser.js';
export { compileFilter, type CompiledFilter } from './filter/filter-to-sql.js';
export { planFitsEveryValue } from './filter/plan-fits-every-value.js';
export { sortExpression } from './filter/sort-by.js';
export { compileValuePredicate, type ValuePredicate } from './filter/value-filter-predicate.js';

export { applyPatch, type PatchResult } from './patch/apply-patch.js';
export { memberIdsNamedBy, patchNamedMembers, type NamedMembersPatch } from './patch/patch-named-members.js';
export { parsePatchPath, type PatchPath } from './patch/patch-path.js';
export { parsePatchRequest, type PatchOperation, type PatchOperationType } from './patch/patch-request.js';
