export * from './i18n.ts'
export * from './enums.ts'
export * from './layers.ts'
export * from './api.ts'
