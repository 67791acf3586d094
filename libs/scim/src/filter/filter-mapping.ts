import type { ScimResourceType } from '../schema/resource-types.js';
import type { ComparableType } from './comparison-operand.js';

/** A SQL expression holding one attribute value, and how to compare it. */
export interface ColumnSpec {
  readonly sql: string;
  readonly type: ComparableType;
  /** false: compared as lower(sql) = lower($n), which an expression index on lower(sql) can serve. */
  readonly caseExact: boolean;
  /**
   * An index leads with the tenant and this expression (lower() of it when not caseExact), so an equality is
   * answered from the index whatever the value: PostgreSQL may plan such a filter once (see planFitsEveryValue).
   */
  readonly indexed?: boolean;
}

export interface ColumnMapping extends ColumnSpec {
  readonly kind: 'column';
}

/** A multi-valued complex attribute stored as rows of a child table, one row per value. */
export interface ChildrenMapping {
  readonly kind: 'children';
  /** Table and alias, e.g. `directory.user_emails e`. */
  readonly from: string;
  /** Ties a child row to the outer row, e.g. `e.tailnet_id = u.tailnet_id AND e.user_id = u.id`. */
  readonly correlate: string;
  readonly subAttributes: Readonly<Record<string, ColumnSpec>>;
  /** The sub-attribute meant when the attribute is filtered without one (`emails co "x"` means emails.value). */
  readonly defaultSubAttribute: string;
}

export type AttributeMapping = ColumnMapping | ChildrenMapping;

/** Where a resource type's filterable attributes live, keyed by canonical attribute path (`name.givenName`). */
export interface FilterMapping {
  readonly resourceType: ScimResourceType;
  readonly attributes: Readonly<Record<string, AttributeMapping>>;
}
