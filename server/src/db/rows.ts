/**
 * The one snake_case → camelCase convention: the database speaks snake_case up to a query
 * module; what a query function returns is camelCase. `camelize` renames a row's keys (its
 * type follows); a `toX(row)` converter is written only where a value changes form as well
 * (a `Date` to ISO text, a nested object).
 */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S

export type Camelized<T> = { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] }

const camelKey = (key: string) => key.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase())

export function camelize<T extends object>(row: T): Camelized<T> {
  const renamed: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) renamed[camelKey(key)] = value
  return renamed as Camelized<T>
}
