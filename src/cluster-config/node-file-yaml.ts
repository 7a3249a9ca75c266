import { Document, isMap, isPair, isScalar, isSeq, Node, Pair } from 'yaml';

/** a comment for a map key (by dotted path) or a sequence item (by `path[index]`). */
export type NodeFileComments = ReadonlyMap<string, string>;

/**
 * Renders a node file: block-style YAML (never flow style, which kube-bench's line-based audits
 * cannot read), a header comment, and comments before the entries named in `comments`.
 */
export function renderNodeFile(content: unknown, header: string, comments: NodeFileComments = new Map()): string {
  const document = new Document(content);
  document.commentBefore = header.split('\n').map((line) => ` ${line}`).join('\n');
  const visit = (node: unknown, path: string): void => {
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const here = path === '' ? key : `${path}.${key}`;
        const comment = comments.get(here);
        if (comment !== undefined && isScalar(pair.key)) pair.key.commentBefore = ` ${comment}`;
        visit(pair.value, here);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const here = `${path}[${index}]`;
        const comment = comments.get(here);
        if (comment !== undefined && (item as Node | Pair) && !isPair(item)) (item as Node).commentBefore = ` ${comment}`;
        visit(item, here);
      });
    }
  };
  visit(document.contents, '');
  return document.toString({ lineWidth: 0 });
}
