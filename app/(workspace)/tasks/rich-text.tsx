import { Fragment, createElement, type ReactNode } from "react";
import { parseRichText, type RichTextNode } from "@/lib/workspace/rich-text";

/** Renders user HTML through the allow-list tree: elements are created by React, never injected as markup. */
export function RichText({ html }: { html: string }) {
  // Descriptions typed without any markup keep their line breaks, as their author saw them.
  const plainText = !/<[a-z!/]/i.test(html);
  return (
    <div className={plainText ? "space-y-2 whitespace-pre-line break-words text-sm text-slate-800" : "space-y-2 break-words text-sm text-slate-800"}>
      {renderNodes(parseRichText(html))}
    </div>
  );
}

const TAG_CLASSES: Partial<Record<string, string>> = {
  h1: "text-lg font-semibold",
  h2: "text-base font-semibold",
  h3: "text-sm font-semibold",
  ul: "list-disc pl-5",
  ol: "list-decimal pl-5",
  blockquote: "border-l-4 border-slate-200 pl-3 text-slate-600",
  pre: "overflow-x-auto rounded bg-slate-100 p-2 font-mono text-xs",
  code: "rounded bg-slate-100 px-1 font-mono text-xs",
};

function renderNodes(nodes: RichTextNode[]): ReactNode[] {
  return nodes.map((node, index) => {
    if (node.type === "text") return node.text;
    if (node.tag === "br") return <br key={index} />;
    if (node.tag === "a") {
      // A link whose address was refused keeps its text but is no longer presented as a link.
      if (!node.href) return <Fragment key={index}>{renderNodes(node.children)}</Fragment>;
      return (
        <a key={index} className="text-indigo-700 underline" href={node.href} rel="noopener noreferrer nofollow ugc" target="_blank">
          {renderNodes(node.children)}
        </a>
      );
    }
    return createElement(node.tag, { key: index, className: TAG_CLASSES[node.tag] }, ...renderNodes(node.children));
  });
}
