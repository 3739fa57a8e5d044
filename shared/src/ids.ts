import { z } from 'zod'

/** The largest value of a PostgreSQL `integer` (every `serial` id column). */
export const maxRecordId = 2_147_483_647

/**
 * A record id written in a path or a query string — the one schema every id parameter uses.
 * Decimal digits only, no leading zero, 1 … 2³¹−1: `0x1c`, `29e0`, `+30`, ` 28`, `028`,
 * `2147483648` are 400 (`Number()` would read the first four as 28–30, and an id past the
 * column's range used to reach the database and answer 500).
 */
export const idTextSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a record id: a whole number in decimal digits')
  .transform(Number)
  .pipe(z.number().max(maxRecordId, `must be at most ${maxRecordId}`))

/** A record id in a JSON body: a whole number 1 … 2³¹−1. */
export const recordIdSchema = (name = 'id') =>
  z
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be positive`)
    .max(maxRecordId, `${name} must be at most ${maxRecordId}`)

/** An administrative area's code (区划代码): 12 decimal digits, the id of town and village features. */
export const adminCodeSchema = z.string().regex(/^[0-9]{12}$/, 'must be an administrative area code: 12 decimal digits')
