/**
 * Task descriptions are HTML written by users. Rather than sanitizing HTML into HTML, this turns it
 * into a small tree of allowed elements that React renders as elements: nothing the user wrote ever
 * reaches the page as markup, so no attribute, tag or entity trick can inject script.
 */

export const RICH_TEXT_TAGS = ["p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "h1", "h2", "h3", "blockquote"] as const;
export type RichTextTag = (typeof RICH_TEXT_TAGS)[number];

export type RichTextNode =
  | { type: "text"; text: string }
  | { type: "element"; tag: RichTextTag; href?: string; children: RichTextNode[] };

type ElementNode = Extract<RichTextNode, { type: "element" }>;

/** Tags whose content is never text for the reader (scripts, styles, embedded documents): dropped whole. */
const DROPPED_WITH_CONTENT = new Set(["script", "style", "iframe", "object", "embed", "template", "noscript", "textarea", "title", "svg", "math", "select", "head"]);
/** Common synonyms mapped onto the allow-list instead of losing their emphasis. */
const SYNONYMS: Record<string, RichTextTag> = { b: "strong", i: "em" };
/** Opening one of these closes an open paragraph, as the HTML parser does (avoids invalid nesting). */
const CLOSES_PARAGRAPH = new Set<RichTextTag>(["p", "ul", "ol", "pre", "h1", "h2", "h3", "blockquote"]);

const ALLOWED = new Set<string>(RICH_TEXT_TAGS);

export function parseRichText(html: string): RichTextNode[] {
  const root: ElementNode = { type: "element", tag: "p", children: [] };
  const stack: ElementNode[] = [root];
  const current = () => stack[stack.length - 1] ?? root;
  const appendText = (text: string) => {
    if (text === "") return;
    const siblings = current().children;
    const last = siblings[siblings.length - 1];
    if (last?.type === "text") last.text += text;
    else siblings.push({ type: "text", text });
  };
  const closeUpTo = (tag: RichTextTag) => {
    const index = stack.findLastIndex((node, position) => position > 0 && node.tag === tag);
    if (index > 0) stack.length = index;
  };

  let position = 0;
  while (position < html.length) {
    const lt = html.indexOf("<", position);
    if (lt === -1) {
      appendText(decodeEntities(html.slice(position)));
      break;
    }
    appendText(decodeEntities(html.slice(position, lt)));
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt + 4);
      position = end === -1 ? html.length : end + 3;
      continue;
    }
    const match = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/.exec(html.slice(lt));
    if (!match) {
      if (/^<[!?/]/.test(html.slice(lt, lt + 2))) {
        const end = html.indexOf(">", lt);
        position = end === -1 ? html.length : end + 1;
      } else {
        appendText("<");
        position = lt + 1;
      }
      continue;
    }
    position = lt + match[0].length;
    const closing = match[1] === "/";
    const name = (match[2] ?? "").toLowerCase();
    const attributes = match[3] ?? "";

    if (!closing && DROPPED_WITH_CONTENT.has(name)) {
      if (/\/\s*$/.test(attributes)) continue;
      const end = new RegExp(`</${name}\\s*>`, "i").exec(html.slice(position));
      position = end ? position + end.index + end[0].length : html.length;
      continue;
    }
    const tag = SYNONYMS[name] ?? (ALLOWED.has(name) ? (name as RichTextTag) : undefined);
    if (!tag) continue;

    if (closing) {
      if (tag !== "br") closeUpTo(tag);
      continue;
    }
    if (tag === "br") {
      current().children.push({ type: "element", tag: "br", children: [] });
      continue;
    }
    if (CLOSES_PARAGRAPH.has(tag)) closeUpTo("p");
    if (tag === "li") closeListItem(stack);
    if (tag === "a") closeUpTo("a");
    const element: ElementNode = { type: "element", tag, children: [] };
    if (tag === "a") {
      const href = safeHref(readAttribute(attributes, "href"));
      if (href) element.href = href;
    }
    current().children.push(element);
    if (!/\/\s*$/.test(attributes)) stack.push(element);
  }
  return root.children;
}

/** A new list item closes the previous one of the same list, as the HTML parser does. */
function closeListItem(stack: ElementNode[]) {
  for (let index = stack.length - 1; index > 0; index -= 1) {
    const tag = stack[index]?.tag;
    if (tag === "ul" || tag === "ol") return;
    if (tag === "li") {
      stack.length = index;
      return;
    }
  }
}

function readAttribute(attributes: string, name: string): string | undefined {
  const pattern = /([^\s=/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const match of attributes.matchAll(pattern)) {
    if (match[1]?.toLowerCase() === name) return decodeEntities(match[2] ?? match[3] ?? match[4] ?? "");
  }
  return undefined;
}

/** Only absolute http(s) links survive: javascript:, data:, relative and protocol-relative URLs are dropped. */
export function safeHref(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : "\ufffd";
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** The description as plain text (for previews and checks that a description says anything at all). */
export function richTextToPlainText(nodes: RichTextNode[]): string {
  return nodes.map((node) => (node.type === "text" ? node.text : node.tag === "br" ? "\n" : richTextToPlainText(node.children))).join("");
}
