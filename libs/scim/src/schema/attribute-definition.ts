/** Attribute characteristics of RFC 7643 §2.2 and §7, as data. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  readonly name: string;
  readonly type: AttributeType;
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: Mutability;
  readonly returned: Returned;
  readonly uniqueness: Uniqueness;
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type AttributeOverrides = Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>>;

/** Builds a definition with the defaults RFC 7643 §2.2 assigns to characteristics left unspecified. */
export function defineAttribute(
  name: string,
  type: AttributeType,
  description: string,
  overrides: AttributeOverrides = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...overrides,
  };
}

// Sub-attributes are looked up for every value of every multi-valued attribute, thousands of times per request;
// names usually arrive spelled canonically, so an exact match is tried before folding case.
const subAttributeIndexes = new WeakMap<AttributeDefinition, { exact: NameIndex; folded: NameIndex }>();
type NameIndex = ReadonlyMap<string, AttributeDefinition>;

/** Sub-attribute names are case-insensitive, like attribute names (RFC 7643 §2.1). */
export function findSubAttribute(attribute: AttributeDefinition, name: string): AttributeDefinition | undefined {
  let index = subAttributeIndexes.get(attribute);
  if (!index) {
    const subAttributes = attribute.subAttributes ?? [];
    index = {
      exact: new Map(subAttributes.map((subAttribute) => [subAttribute.name, subAttribute])),
      folded: new Map(subAttributes.map((subAttribute) => [subAttribute.name.toLowerCase(), subAttribute])),
    };
    subAttributeIndexes.set(attribute, index);
  }
  return index.exact.get(name) ?? index.folded.get(name.toLowerCase());
}

/** Attribute names are case-insensitive (RFC 7643 §2.1). */
export function findAttributeByName(
  attributes: readonly AttributeDefinition[],
  name: string,
): AttributeDefinition | undefined {
  const wanted = name.toLowerCase();
  return attributes.find((attribute) => attribute.name.toLowerCase() === wanted);
}
