// The default conversion of line_influxdb written values to real column types:
// formats' `coerceValue` (one place for the rules of written values).

export { coerceValue as defaultCoerce } from '@kwdb-connect/formats';
