import { SOURCE_TABLES } from '../db/source-tables.js';
import { ROLLUP_STORAGE_TABLES } from '../rollups/rollup-tables.js';

/** The tables maintenance works on, in dependency order: the sources, then every rollup and the journal. */
export const MAINTAINED_TABLES = [...SOURCE_TABLES, ...ROLLUP_STORAGE_TABLES];
