// The default conversion of line_influxdb written values to real column types.
// TEMPORARY: libs/formats does not export `coerceValue` yet; until it does, a
// written value is refused with a clear error (never guessed).

import type { KwdbType, Value, WrittenValue } from '@kwdb-connect/formats';

export function defaultCoerce(value: WrittenValue, type: KwdbType): Value {
  throw new Error(
    `cannot convert written value ${JSON.stringify(value.text)} to ${type}: coerceValue is not available`,
  );
}
