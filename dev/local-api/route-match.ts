// Route selection as API Gateway does it: the most specific template wins
// (a literal segment beats `{param}`, which beats a greedy `{proxy+}`), and an
// exact method beats ANY. Templates are compiled once at start-up.

export interface RouteLike {
  method: string;
  path: string;
}

type Segment = { literal: string } | { param: string; greedy: boolean };

export interface CompiledRoute<R extends RouteLike> {
  route: R;
  segments: Segment[];
}

export interface RouteMatch<R extends RouteLike> {
  route: R;
  pathParameters: Record<string, string>;
}

export function compileRoutes<R extends RouteLike>(routes: readonly R[]): CompiledRoute<R>[] {
  return routes.map((route) => {
    const parts = route.path.split('/').slice(1);
    const segments = parts.map((part, index): Segment => {
      const param = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(part);
      if (!param) return { literal: part };
      const greedy = param[2] === '+';
      if (greedy && index !== parts.length - 1) throw new Error(`route ${route.path}: a greedy parameter must be last`);
      return { param: param[1] ?? '', greedy };
    });
    return { route, segments };
  });
}

/** The best route for `method` and a raw (still percent-encoded) path, or undefined. */
export function matchRoute<R extends RouteLike>(
  compiled: readonly CompiledRoute<R>[],
  method: string,
  rawPath: string,
): RouteMatch<R> | undefined {
  const parts = rawPath.split('/').slice(1);
  let best: { match: RouteMatch<R>; rank: number[] } | undefined;
  for (const candidate of compiled) {
    const { method: routeMethod } = candidate.route;
    if (routeMethod !== method && routeMethod !== 'ANY') continue;
    const params = bind(candidate.segments, parts);
    if (!params) continue;
    const rank = [...candidate.segments.map(segmentRank), routeMethod === 'ANY' ? 1 : 0];
    if (!best || isMoreSpecific(rank, best.rank)) best = { match: { route: candidate.route, pathParameters: params }, rank };
  }
  return best?.match;
}

function bind(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if ('literal' in segment) {
      if (parts[index] === undefined || decode(parts[index]) !== segment.literal) return undefined;
      continue;
    }
    if (segment.greedy) {
      const rest = parts.slice(index);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.param] = decode(rest.join('/'));
      return params;
    }
    const part = parts[index];
    if (part === undefined || part === '') return undefined;
    params[segment.param] = decode(part);
  }
  return parts.length === segments.length ? params : undefined;
}

const segmentRank = (segment: Segment): number => ('literal' in segment ? 0 : segment.greedy ? 2 : 1);

function isMoreSpecific(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const [x = 0, y = 0] = [a[i], b[i]];
    if (x !== y) return x < y;
  }
  return a.length > b.length;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
