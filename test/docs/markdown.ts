import fs from 'node:fs';
import path from 'node:path';

/**
 * What the documentation test checks in a Markdown file: its links (resolved against the file's own
 * folder) and the npm scripts it tells the reader to run. Plain functions over text, so the test can
 * also show them a broken link.
 */

export interface MarkdownLink {
  file: string;
  line: number;
  target: string;
}

/** Fenced code blocks blanked out (lines kept, so line numbers stay right). */
function withoutFences(text: string): string {
  let fence: string | null = null;
  return text
    .split('\n')
    .map((line) => {
      const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = null;
        return '';
      }
      if (m) {
        fence = m[1];
        return '';
      }
      return line;
    })
    .join('\n');
}

/** Code spans blanked out: a link written inside backticks is not a link. */
const withoutCodeSpans = (line: string) => line.replace(/(`+)[\s\S]*?\1/g, (s) => ' '.repeat(s.length));

/** Inline links and images `[text](target "title")`, and reference definitions `[id]: target`. */
export function linksOf(file: string, text: string): MarkdownLink[] {
  const out: MarkdownLink[] = [];
  withoutFences(text)
    .split('\n')
    .forEach((raw, i) => {
      const line = withoutCodeSpans(raw);
      for (const m of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ file, line: i + 1, target: m[1] });
      const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
      if (def) out.push({ file, line: i + 1, target: def[1] });
    });
  return out;
}

/** A link that leaves the repository (a scheme such as https: or mailto:, or //host). */
export const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

/** The text of a heading as GitHub renders it: code, emphasis and link markup gone. */
function headingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/(\*\*|__|\*|_)(\S(?:.*?\S)?)\1/g, '$2')
    .trim();
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
export function slug(heading: string): string {
  return headingText(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings; a repeated heading gets -1, -2, … as on GitHub. */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutFences(text).split('\n')) {
    const m = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/**
 * What is wrong with a relative link: a file that does not exist, or an anchor that is not a heading
 * of the Markdown file it points into. Null when it resolves.
 */
export function brokenLink(link: MarkdownLink, readFile: (p: string) => string | null = readIfExists): string | null {
  if (isExternal(link.target)) return null;
  const [rawPath, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const filePath = decodeURI(rawPath);
  const target = filePath ? path.resolve(path.dirname(link.file), filePath) : link.file;
  if (filePath && !fs.existsSync(target)) return `${filePath} does not exist`;
  if (anchor === undefined || !target.endsWith('.md')) return null;
  const text = readFile(target);
  if (text === null) return `${filePath} cannot be read`;
  return anchorsOf(text).has(decodeURIComponent(anchor)) ? null : `no heading #${anchor} in ${path.basename(target)}`;
}

function readIfExists(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/** The npm scripts a text tells the reader to run: `npm run X`, `npm run -s X`, `npm run X -- …`, and `npm test` / `npm start`. */
export function npmScriptsOf(text: string): { script: string; line: number }[] {
  const out: { script: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\bnpm\s+run(?:-script)?(?:\s+(?:-s|--silent))?\s+([A-Za-z0-9][\w:.-]*)/g)) out.push({ script: m[1], line: i + 1 });
    for (const m of line.matchAll(/\bnpm\s+(test|start)\b/g)) out.push({ script: m[1], line: i + 1 });
  });
  return out;
}
