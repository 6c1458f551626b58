import { readFileSync } from 'node:fs';

/** A prose section of the document (openapi/prose/<name>.md), trimmed. */
export const prose = (name: string): string => readFileSync(new URL(`./prose/${name}.md`, import.meta.url), 'utf8').trim();
