import { layerCatalogue, ogcCrsList, ogcDefaultLimit, ogcMaxLimit, crs84 } from '@riskatlas/shared'
import { queryables, temporalProperties } from './rules.ts'
import { layerSources } from '../layers/sources.ts'

/**
 * The OpenAPI 3.0 service description of `/ogc` (the `oas30` conformance class): one items
 * path per collection, so each lists its own queryables; `limit`'s default and maximum are
 * declared in `components.parameters.limit`, where clients (GDAL) read their page size.
 */
export function ogcOpenApi(base: string) {
  const format = {
    name: 'f',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: ['json', 'html'] },
    description: 'Output format; without it the Accept header decides.',
  }
  const jsonOrHtml = (schema: string) => ({
    description: 'OK',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } }, 'text/html': { schema: { type: 'string' } } },
  })
  const errors = {
    '400': { description: 'Bad request', content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } } },
    '404': { description: 'Not found', content: { 'application/json': { schema: { $ref: '#/components/schemas/error' } } } },
  }
  const paths: Record<string, unknown> = {
    '/': {
      get: {
        tags: ['Capabilities'],
        summary: 'Landing page',
        operationId: 'getLandingPage',
        parameters: [format],
        responses: { '200': jsonOrHtml('landingPage') },
      },
    },
    '/conformance': {
      get: {
        tags: ['Capabilities'],
        summary: 'Conformance classes',
        operationId: 'getConformance',
        parameters: [format],
        responses: { '200': jsonOrHtml('conformance') },
      },
    },
    '/api': {
      get: {
        tags: ['Capabilities'],
        summary: 'This service description',
        operationId: 'getApi',
        responses: { '200': { description: 'OpenAPI 3.0', content: { 'application/vnd.oai.openapi+json;version=3.0': {} } } },
      },
    },
    '/collections': {
      get: {
        tags: ['Capabilities'],
        summary: 'The collections',
        operationId: 'getCollections',
        parameters: [format],
        responses: { '200': jsonOrHtml('collections') },
      },
    },
  }
  for (const layer of layerCatalogue) {
    const filters = queryables(layer).map((property) => ({
      name: property.name,
      in: 'query',
      required: false,
      style: 'form',
      explode: false,
      description: `${property.title.zh} ${property.title.en}: features whose ${property.name} equals the value`,
      schema: { type: property.type === 'integer' ? 'integer' : property.type === 'boolean' ? 'boolean' : 'string' },
    }))
    const dated = temporalProperties(layer) ? [{ $ref: '#/components/parameters/datetime' }] : []
    paths[`/collections/${layer.id}`] = {
      get: {
        tags: [layer.id],
        summary: `${layer.title.zh} ${layer.title.en}: metadata`,
        operationId: `describe_${layer.id}`,
        parameters: [format],
        responses: { '200': jsonOrHtml('collection'), '404': errors['404'] },
      },
    }
    paths[`/collections/${layer.id}/items`] = {
      get: {
        tags: [layer.id],
        summary: `${layer.title.zh} ${layer.title.en}: features`,
        operationId: `items_${layer.id}`,
        parameters: [
          { $ref: '#/components/parameters/bbox' },
          { $ref: '#/components/parameters/bbox-crs' },
          { $ref: '#/components/parameters/crs' },
          { $ref: '#/components/parameters/limit' },
          { $ref: '#/components/parameters/offset' },
          ...dated,
          format,
          ...filters,
        ],
        responses: {
          '200': {
            description: 'A page of features',
            content: {
              'application/geo+json': { schema: { $ref: '#/components/schemas/featureCollection' } },
              'text/html': { schema: { type: 'string' } },
            },
          },
          ...errors,
        },
      },
    }
    paths[`/collections/${layer.id}/items/{featureId}`] = {
      get: {
        tags: [layer.id],
        summary: `${layer.title.zh} ${layer.title.en}: one feature`,
        operationId: `item_${layer.id}`,
        parameters: [
          {
            name: 'featureId',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: layerSources[layer.id]?.idKind === 'adminCode' ? '^[0-9]{12}$' : '^[1-9][0-9]{0,9}$' },
          },
          { $ref: '#/components/parameters/crs' },
          format,
        ],
        responses: {
          '200': {
            description: 'A feature',
            content: { 'application/geo+json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } },
          },
          ...errors,
        },
      },
    }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'RiskAtlas OGC API – Features',
      version: '1.0.0',
      description: '一张图公开图层 · The public layers of RiskAtlas. No personal data.',
    },
    servers: [{ url: base }],
    paths,
    components: {
      parameters: {
        bbox: {
          name: 'bbox',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          description: 'minx,miny,maxx,maxy in bbox-crs axis order; features that intersect it',
          schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
        },
        'bbox-crs': {
          name: 'bbox-crs',
          in: 'query',
          required: false,
          schema: { type: 'string', format: 'uri', enum: [...ogcCrsList], default: crs84 },
        },
        crs: {
          name: 'crs',
          in: 'query',
          required: false,
          schema: { type: 'string', format: 'uri', enum: [...ogcCrsList], default: crs84 },
        },
        limit: {
          name: 'limit',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          schema: { type: 'integer', minimum: 1, maximum: ogcMaxLimit, default: ogcDefaultLimit },
        },
        offset: { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
        datetime: {
          name: 'datetime',
          in: 'query',
          required: false,
          style: 'form',
          explode: false,
          description: 'An instant or interval (RFC 3339, .. for open): features valid at some time in it',
          schema: { type: 'string' },
        },
      },
      schemas: {
        error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
            },
          },
        },
        link: {
          type: 'object',
          required: ['href'],
          properties: { href: { type: 'string' }, rel: { type: 'string' }, type: { type: 'string' }, title: { type: 'string' } },
        },
        landingPage: {
          type: 'object',
          required: ['links'],
          properties: {
            title: { type: 'string' },
            description: { type: 'string' },
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
          },
        },
        conformance: { type: 'object', required: ['conformsTo'], properties: { conformsTo: { type: 'array', items: { type: 'string' } } } },
        collection: {
          type: 'object',
          required: ['id', 'links'],
          properties: {
            id: { type: 'string' },
            title: { type: 'string' },
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
          },
        },
        collections: {
          type: 'object',
          required: ['links', 'collections'],
          properties: {
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
            collections: { type: 'array', items: { $ref: '#/components/schemas/collection' } },
          },
        },
        featureCollection: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            numberMatched: { type: 'integer' },
            numberReturned: { type: 'integer' },
            features: { type: 'array', items: { type: 'object' } },
            links: { type: 'array', items: { $ref: '#/components/schemas/link' } },
          },
        },
      },
    },
  }
}
