import { digestPublicKey } from '#shared/audit/sign-digests';
import { kmsDigestKey, route } from '#shared/wiring/digests';

// The digest key's public half (PEM, SPKI) and id, for verifying exports offline: `latchkey audit verify --file … --public-key …`.
export const handler = route({}, async ({ principal }) => ({ status: 200, body: await digestPublicKey({ keys: kmsDigestKey }, principal) }));
