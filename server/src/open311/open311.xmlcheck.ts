/**
 * A strict, tiny XML reader for the conformance tests: it accepts exactly the well-formed subset that
 * GeoReport responses use (a declaration, elements, attributes, text, the five predefined entities and
 * character references) and throws, with the offset, on anything else — mismatched or unclosed tags,
 * a bare `&` or `<`, a character XML cannot carry, text outside the root. Written for tests so that
 * the serialiser is checked by something other than itself, without a new dependency.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities resolved), children's text excluded. */
  text: string;
}

export interface XmlDocument {
  declaration: Record<string, string>;
  root: XmlElement;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

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

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function isNameStart(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_' || ch === ':' || ch > '\u00bf';
}

function isNameChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  return isNameStart(ch) || (ch >= '0' && ch <= '9') || ch === '-' || ch === '.';
}

class Reader {
  pos = 0;
  constructor(readonly src: string) {}

  fail(message: string): never {
    throw new Error(`XML not well-formed at ${this.pos}: ${message}`);
  }
  peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }
  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }
  expect(s: string): void {
    if (!this.startsWith(s)) this.fail(`expected ${JSON.stringify(s)}`);
    this.pos += s.length;
  }
  skipSpace(): number {
    const from = this.pos;
    while (isSpace(this.peek())) this.pos++;
    return this.pos - from;
  }
  name(): string {
    if (!isNameStart(this.peek())) this.fail('expected a name');
    const from = this.pos;
    while (isNameChar(this.peek())) this.pos++;
    return this.src.slice(from, this.pos);
  }
  reference(): string {
    this.expect('&');
    const end = this.src.indexOf(';', this.pos);
    if (end < 0 || end - this.pos > 10) this.fail('unterminated entity reference');
    const ref = this.src.slice(this.pos, end);
    this.pos = end + 1;
    if (ref.startsWith('#')) {
      const hex = ref.startsWith('#x');
      const digits = ref.slice(hex ? 2 : 1);
      const valid = digits.length > 0 && [...digits].every((d) => (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(d));
      const code = valid ? Number.parseInt(digits, hex ? 16 : 10) : Number.NaN;
      if (!valid || !isXmlChar(code)) this.fail(`bad character reference &${ref};`);
      return String.fromCodePoint(code);
    }
    const resolved = PREDEFINED[ref];
    if (resolved === undefined) this.fail(`undefined entity &${ref};`);
    return resolved;
  }
  quoted(): string {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") this.fail('expected a quoted value');
    this.pos++;
    let value = '';
    while (this.peek() !== quote) {
      const ch = this.peek();
      if (ch === undefined) this.fail('unterminated attribute value');
      if (ch === '<') this.fail('< in an attribute value');
      if (ch === '&') value += this.reference();
      else {
        value += ch;
        this.pos++;
      }
    }
    this.pos++;
    return value;
  }
  attributes(): Record<string, string> {
    const attrs: Record<string, string> = {};
    while (true) {
      const spaced = this.skipSpace() > 0;
      const ch = this.peek();
      if (ch === '>' || ch === '/' || ch === '?') return attrs;
      if (!spaced) this.fail('attributes must be separated by white space');
      const n = this.name();
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      if (n in attrs) this.fail(`attribute ${n} repeated`);
      attrs[n] = this.quoted();
    }
  }
  element(): XmlElement {
    this.expect('<');
    const name = this.name();
    const attributes = this.attributes();
    if (this.startsWith('/>')) {
      this.pos += 2;
      return { name, attributes, children: [], text: '' };
    }
    this.expect('>');
    const children: XmlElement[] = [];
    let text = '';
    while (true) {
      const ch = this.peek();
      if (ch === undefined) this.fail(`element <${name}> is not closed`);
      if (this.startsWith('</')) {
        this.pos += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        this.skipSpace();
        this.expect('>');
        return { name, attributes, children, text };
      }
      if (this.startsWith('<!') || this.startsWith('<?'))
        this.fail('comments, CDATA and PIs are not expected');
      if (ch === '<') children.push(this.element());
      else if (ch === '&') text += this.reference();
      else {
        if (this.startsWith(']]>')) this.fail(']]> in text');
        text += ch;
        this.pos++;
      }
    }
  }
}

export function parseXml(src: string): XmlDocument {
  for (const ch of src) {
    if (!isXmlChar(ch.codePointAt(0)!))
      throw new Error(`XML not well-formed: U+${ch.codePointAt(0)!.toString(16)}`);
  }
  const r = new Reader(src);
  r.expect('<?xml');
  const declaration = r.attributes();
  r.skipSpace();
  r.expect('?>');
  if (declaration.version !== '1.0') r.fail('the declaration must say version="1.0"');
  r.skipSpace();
  const root = r.element();
  r.skipSpace();
  if (r.pos !== src.length) r.fail('content after the root element');
  return { declaration, root };
}

/** The child elements named `name`. */
export function childrenNamed(e: XmlElement, name: string): XmlElement[] {
  return e.children.filter((c) => c.name === name);
}

/** The text of the only child named `name`; throws when there is none or more than one. */
export function childText(e: XmlElement, name: string): string {
  const found = childrenNamed(e, name);
  if (found.length !== 1) throw new Error(`<${e.name}> has ${found.length} <${name}> children`);
  return found[0]!.text;
}
