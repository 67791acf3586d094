import type { TextOperator } from './filter-ast.js';

/**
 * A LIKE pattern (escape character `\`) matching strings that contain, start with or end with `value` literally:
 * `%`, `_` and `\` in the value are escaped, so `john_smith` cannot match `john-smith`.
 */
export function likePattern(operator: TextOperator, value: string): string {
  const literal = value.replace(/[\\%_]/g, (character) => `\\${character}`);
  switch (operator) {
    case 'co':
      return `%${literal}%`;
    case 'sw':
      return `${literal}%`;
    case 'ew':
      return `%${literal}`;
  }
}
