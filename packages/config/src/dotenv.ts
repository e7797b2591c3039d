/** One problem in a `.env` file. Never carries the line's content. */
export interface DotenvProblem {
  line: number;
  reason: string;
}

/** Result of {@link parseDotenv}: values plus every problem found. */
export interface DotenvResult {
  values: Map<string, string>;
  problems: DotenvProblem[];
}

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '\\': '\\',
  '"': '"',
  $: '$',
};

/**
 * Strict `.env` parser. Accepts `KEY=value`, `export KEY=value`, `# comments`,
 * blank lines, single-quoted (literal) and double-quoted (`\n \r \t \\ \" \$`
 * escapes) values, both of which may span lines. No variable expansion.
 * Anything else is a problem with its line number; duplicate keys too.
 */
export function parseDotenv(text: string): DotenvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const values = new Map<string, string>();
  const firstSeen = new Map<string, number>();
  const problems: DotenvProblem[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    // Only leading space is dropped here: a quoted value keeps trailing space.
    const line = (lines[index] as string).trimStart();
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (match === null) {
      problems.push({ line: lineNumber, reason: 'malformed line (expected KEY=value)' });
      continue;
    }
    const key = match[1] as string;
    const parsed = parseValue(match[2] as string, lines, index);
    index = parsed.lastIndex;
    if (!parsed.ok) {
      problems.push({ line: lineNumber, reason: parsed.reason });
      continue;
    }
    const previous = firstSeen.get(key);
    if (previous !== undefined) {
      problems.push({
        line: lineNumber,
        reason: `duplicate key ${key} (first set on line ${previous})`,
      });
      continue;
    }
    firstSeen.set(key, lineNumber);
    values.set(key, parsed.value);
  }
  return { values, problems };
}

type ValueResult =
  | { ok: true; value: string; lastIndex: number }
  | { ok: false; reason: string; lastIndex: number };

function parseValue(rest: string, lines: string[], index: number): ValueResult {
  const quote = rest[0];
  if (quote !== '"' && quote !== "'") {
    if (/["'`]/.test(rest.replace(/\s+#.*$/, ''))) {
      return { ok: false, reason: 'unexpected quote in unquoted value', lastIndex: index };
    }
    // An unquoted value ends at " #" (inline comment).
    return { ok: true, value: rest.replace(/\s+#.*$/, '').trim(), lastIndex: index };
  }
  // Quoted: scan forward, possibly across lines, for the closing quote.
  let text = rest.slice(1);
  let value = '';
  let lastIndex = index;
  for (;;) {
    for (let i = 0; i < text.length; i += 1) {
      const char = text[i] as string;
      if (char === quote) {
        const after = text.slice(i + 1).trim();
        if (after !== '' && !after.startsWith('#')) {
          return { ok: false, reason: 'unexpected text after closing quote', lastIndex };
        }
        return { ok: true, value, lastIndex };
      }
      if (char === '\\' && quote === '"') {
        const escaped = ESCAPES[text[i + 1] ?? ''];
        if (escaped === undefined)
          return { ok: false, reason: 'invalid escape sequence', lastIndex };
        value += escaped;
        i += 1;
        continue;
      }
      value += char;
    }
    lastIndex += 1;
    if (lastIndex >= lines.length) {
      return { ok: false, reason: 'unterminated quoted value', lastIndex: lines.length - 1 };
    }
    value += '\n';
    text = lines[lastIndex] as string;
  }
}
