/** What every resolver receives: the pool, this request's loaders, the configuration. */
import type { Config } from '../config.js';
import type { Database } from '../db/pool.js';
import { createLoaders, type Loaders } from '../loaders/entity-loaders.js';

export interface GatewayContext {
  db: Database;
  loaders: Loaders;
  config: Config;
  /** The request's clock: default windows end here. */
  now: Date;
}

/** Builds the context of one request. */
export function createContext(db: Database, config: Config): GatewayContext {
  return { db, config, loaders: createLoaders(db), now: new Date() };
}
