/**
 * @riskatlas/data: the fictional demo township 云岭镇 (Longyang District, Baoshan, Yunnan) as
 * GeoJSON, one feature collection per database table, and the deterministic generator behind it.
 */
export type * from './types.ts'
export { townTables } from './types.ts'
export { townDir, loadTown } from './load.ts'
export { generateCounty, defaultCountyTowns, type GenerateCountyOptions } from './county.ts'
export { generateTown, defaultTownOptions, contourIntervalM, type GenerateTownOptions } from './town.ts'
export { LEDGER_2023, LEDGER_BY_YEAR, ledgerFigures } from './ledger.ts'
export { serializeTown, serializeCollection, fileNameOf } from './serialize.ts'
export { fakePhonePattern } from './names.ts'
export { townMaxRadiusM } from './layout.ts'
export { walkingMinutes, walkingMetresPerMinute } from './routing.ts'
export { townAsOf } from './dates.ts'
