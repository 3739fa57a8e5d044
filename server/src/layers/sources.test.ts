import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely'
import { describe, expect, it } from 'vitest'
import { layerCatalogue } from '@riskatlas/shared'
import { assertSourcesMatchCatalogue, layerSources } from './sources.ts'

/** Compiles SQL without a database, to read what each layer would select. */
const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

describe('layer sources', () => {
  it('select exactly the public properties of the catalogue', () => {
    expect(() => assertSourcesMatchCatalogue()).not.toThrow()
    expect(Object.keys(layerSources).sort()).toEqual(layerCatalogue.map((layer) => layer.id).sort())
  })

  it('never select a phone column or a vulnerable person’s name', () => {
    for (const [id, source] of Object.entries(layerSources)) {
      for (const [name, expression] of Object.entries(source.properties)) {
        const text = expression.compile(compiler).sql
        expect(`${id}.${name}: ${text}`).not.toMatch(/phone|contact_name|\bp\.name\b|vulnerable_people\s+\w+\s+.*\.name/)
      }
    }
  })
})
