// Just enough XML writing for STS's query-protocol answers: ordered elements,
// escaped text, absent values left out (as AWS omits unset members).
export type XmlNode = string | number | undefined | XmlElements;
export interface XmlElements {
  [tag: string]: XmlNode;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function renderXml(elements: XmlElements): string {
  return Object.entries(elements)
    .filter(([, value]) => value !== undefined)
    .map(([tag, value]) => `<${tag}>${typeof value === 'object' ? renderXml(value) : escapeXml(String(value))}</${tag}>`)
    .join('');
}

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** A whole STS document: `<Root xmlns=…>…</Root>`. */
export function stsDocument(root: string, body: XmlElements): string {
  return `<${root} xmlns="${STS_NAMESPACE}">${renderXml(body)}</${root}>\n`;
}
