import { describe, expect, it } from 'vitest';

import { isIsoDateTime } from './date-time-format.js';

describe('isIsoDateTime', () => {
  it.each(['2011-05-13T04:42:34Z', '2015-10-10T14:38:21.8617979-07:00', '2024-02-29', '2024-02-29T10:00+0100', '2011-05-13t04:42:34z'])(
    'accepts %s',
    (text) => {
      expect(isIsoDateTime(text)).toBe(true);
    },
  );

  it.each(['yesterday', '2023-02-29', '2024-13-01', '2024-01-01T24:00:00Z', '2024-01-01T10:60Z', '13/05/2011', '2011-05-13T04:42:34ZZ', ''])(
    'rejects %j',
    (text) => {
      expect(isIsoDateTime(text)).toBe(false);
    },
  );
});
