/** The machine a benchmark ran on, as its results record it. */
import os from 'node:os';

export const MACHINE = {
  cpus: os.cpus().length,
  model: os.cpus()[0]?.model ?? 'CPU',
  memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
};
