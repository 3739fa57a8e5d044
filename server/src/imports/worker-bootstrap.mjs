// Starts the parse worker under tsx's loader: the server runs its TypeScript source directly.
import { register } from 'tsx/esm/api'
register()
await import('./worker.ts')
