/**
 * The XML side of GeoReport v2. The specification defines JSON as a mechanical mapping of its XML (the
 * Spark convention), so every resource here is built once, as the JSON value, and turned into XML by
 * the inverse mapping: an object becomes child elements in key order, an array becomes one child per
 * item named by `LIST_ITEMS`, null becomes an empty element. No library: the output needs no namespaces,
 * attributes, comments or CDATA, only correct escaping and well-formed names.
 */

export type OutValue = string | number | boolean | null | OutValue[] | { [key: string]: OutValue };

/**
 * The element name of the items of each list, by the list's own element name. A list whose name is not
 * here is a programming error: the XML would otherwise silently differ from the JSON.
 */
export const LIST_ITEMS: Readonly<Record<string, string>> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  service_requests: 'request',
  service_request_updates: 'request_update',
  errors: 'error',
  endpoints: 'endpoint',
  formats: 'format',
};

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * Characters XML 1.0 cannot carry at all (C0 controls except tab, newline and carriage return, lone
 * surrogates, U+FFFE and U+FFFF). A resident's description may hold any of them; dropping them keeps
 * the document well-formed, since no escape exists for them.
 */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe inside an element or an attribute value. */
export function escapeXml(text: string): string {
  let out = '';
  // for…of walks code points, so a valid surrogate pair arrives whole and a lone half arrives alone.
  for (const ch of text) {
    const entity = ENTITIES[ch];
    if (entity) out += entity;
    else if (isXmlChar(ch.codePointAt(0)!)) out += ch;
  }
  return out;
}

function isNameStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}

function isNameChar(ch: string): boolean {
  return isNameStart(ch) || (ch >= '0' && ch <= '9') || ch === '-' || ch === '.';
}

/** Element names come from this module's callers, never from a client; a bad one is a bug to surface. */
export function assertElementName(name: string): void {
  const chars = [...name];
  const ok =
    chars.length > 0 &&
    isNameStart(chars[0]!) &&
    chars.every(isNameChar) &&
    !name.toLowerCase().startsWith('xml');
  if (!ok) throw new Error(`not a usable XML element name: ${JSON.stringify(name)}`);
}

function scalarText(value: string | number | boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} to XML`);
    return String(value);
  }
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : escapeXml(value);
}

function element(name: string, value: OutValue, out: string[]): void {
  assertElementName(name);
  if (value === null) {
    out.push(`<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = LIST_ITEMS[name];
    if (!item) throw new Error(`no item element name for the list ${name}`);
    if (value.length === 0) {
      out.push(`<${name}/>`);
      return;
    }
    out.push(`<${name}>`);
    for (const v of value) element(item, v, out);
    out.push(`</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.push(`<${name}/>`);
      return;
    }
    out.push(`<${name}>`);
    for (const k of keys) element(k, value[k]!, out);
    out.push(`</${name}>`);
    return;
  }
  const text = scalarText(value);
  out.push(text === '' ? `<${name}/>` : `<${name}>${text}</${name}>`);
}

/** A complete document: the declaration, then `value` as the element `root`. */
export function toXml(root: string, value: OutValue): string {
  const out: string[] = [XML_DECLARATION, '\n'];
  element(root, value, out);
  out.push('\n');
  return out.join('');
}
