import { defineAttribute, type AttributeDefinition } from './attribute-definition.js';

/**
 * The value/display/type/primary quartet RFC 7643 §2.4 gives most multi-valued attributes, with the canonical
 * `type` labels and value type each attribute defines in §4.1.2 and §8.7.1.
 */
export function labelledValueSubAttributes(options: {
  valueDescription: string;
  valueType?: 'string' | 'reference' | 'binary';
  valueCaseExact?: boolean;
  referenceTypes?: readonly string[];
  canonicalTypes?: readonly string[];
}): AttributeDefinition[] {
  return [
    defineAttribute('value', options.valueType ?? 'string', options.valueDescription, {
      caseExact: options.valueCaseExact ?? false,
      ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
    }),
    defineAttribute('display', 'string', 'A human-readable name, primarily used for display purposes.'),
    defineAttribute('type', 'string', "A label indicating the attribute's function.", {
      ...(options.canonicalTypes ? { canonicalValues: options.canonicalTypes } : {}),
    }),
    defineAttribute(
      'primary',
      'boolean',
      "A Boolean value indicating the 'primary' or preferred attribute value for this attribute.",
    ),
  ];
}
