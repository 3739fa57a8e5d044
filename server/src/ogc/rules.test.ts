import { describe, expect, it } from 'vitest'
import { cgcs2000, findLayer } from '@riskatlas/shared'
import { pagingLinks, parseBbox, parseDatetime, propertyFilters, queryables, wantsHtml } from './rules.ts'

describe('OGC rules', () => {
  it('reads a CRS84 bbox longitude first and an EPSG:4490 bbox latitude first', () => {
    expect(parseBbox('99,25,99.1,25.1')).toEqual([99, 25, 99.1, 25.1])
    expect(parseBbox('25,99,25.1,99.1', cgcs2000)).toEqual([99, 25, 99.1, 25.1])
    expect(parseBbox('99,25,0,99.1,25.1,100')).toEqual([99, 25, 99.1, 25.1])
  })

  it('refuses malformed, out-of-range, inverted and antimeridian boxes', () => {
    for (const bad of ['1,2,3', 'a,b,c,d', '99,95,99.1,96', '99,25.1,99.1,25', '170,0,-170,1']) expect(() => parseBbox(bad), bad).toThrow()
  })

  it('reads instants and open or closed intervals, and refuses the rest', () => {
    expect(parseDatetime('2026-06-01T00:00:00Z')).toEqual({ start: '2026-06-01T00:00:00Z', end: '2026-06-01T00:00:00Z' })
    expect(parseDatetime('../2026-06-01')).toEqual({ start: undefined, end: '2026-06-01' })
    expect(parseDatetime('2026-06-01/..')).toEqual({ start: '2026-06-01', end: undefined })
    for (const bad of ['yesterday', '2026-06-02/2026-06-01', '../..x', '2026-13-45']) expect(() => parseDatetime(bad), bad).toThrow()
  })

  it('takes filters only on declared queryables, typed', () => {
    const hazards = findLayer('hazard_points')!
    expect(queryables(hazards).map((p) => p.name)).toContain('kind')
    expect(queryables(hazards).map((p) => p.name)).not.toContain('threatened_villages')
    expect(propertyFilters(hazards, { kind: 'landslide', risk_level: '3', limit: 5 } as never)).toEqual([
      { name: 'kind', type: 'enum', value: 'landslide' },
      { name: 'risk_level', type: 'integer', value: 3 },
    ])
    expect(() => propertyFilters(hazards, { colour: 'red' })).toThrow(/colour/)
    expect(() => propertyFilters(hazards, { risk_level: 'high' })).toThrow(/whole number/)
  })

  it('chooses HTML by f= first, then by the Accept header order', () => {
    expect(wantsHtml('html', 'application/json')).toBe(true)
    expect(wantsHtml('json', 'text/html')).toBe(false)
    expect(wantsHtml(undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')).toBe(true)
    expect(wantsHtml(undefined, 'application/geo+json, application/json;q=0.9, text/html;q=0.1')).toBe(false)
    expect(wantsHtml(undefined, undefined)).toBe(false)
  })

  it('links the next page while features remain and the previous one after the first', () => {
    const url = new URL('http://x/ogc/collections/roads/items?bbox=1,2,3,4&limit=10')
    const first = pagingLinks(url, { offset: 0, limit: 10, returned: 10, matched: 25 })
    expect(first.find((link) => link.rel === 'next')!.href).toBe(
      'http://x/ogc/collections/roads/items?bbox=1%2C2%2C3%2C4&limit=10&offset=10&f=json',
    )
    expect(first.some((link) => link.rel === 'prev')).toBe(false)
    const last = pagingLinks(url, { offset: 20, limit: 10, returned: 5, matched: 25 })
    expect(last.some((link) => link.rel === 'next')).toBe(false)
    expect(last.find((link) => link.rel === 'prev')!.href).toContain('offset=10')
  })
})
