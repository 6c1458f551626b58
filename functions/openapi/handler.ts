import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import document from '../../docs/openapi.json' with { type: 'json' };

// GET /openapi.json, public. The committed document (written by `npm run openapi`) is
// bundled into this function as a string once per container: no generator at run time.
const body = JSON.stringify(document);

export const handler = async (): Promise<APIGatewayProxyResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  body,
});
