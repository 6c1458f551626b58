// Ports every feature shares: time, ids and paging. Each feature keeps its own stores in its ports.ts.

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(prefix: 'req' | 'tgt' | 'int'): string;
}

export type Page<T> = { items: T[]; nextCursor?: string };
export type PageRequest = { limit: number; cursor?: string };
