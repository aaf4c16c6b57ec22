// Reads the sample lines of Prometheus's text exposition format (what prom-client serves):
// `name{label="value",…} number [timestamp]`; comments and blank lines are skipped. Written here
// because parse-prometheus-text-format (the npm parser) merges every label set of a histogram
// into one (yunyu/parse-prometheus-text-format#8, open), which would lose all but one route.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' };

function parseLabels(text: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start;
  while (i < text.length && text[i] !== '}') {
    if (text[i] === ',' || text[i] === ' ') {
      i++;
      continue;
    }
    const eq = text.indexOf('=', i);
    if (eq === -1 || text[eq + 1] !== '"') throw new Error('malformed label');
    const key = text.slice(i, eq).trim();
    let value = '';
    i = eq + 2;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        value += ESCAPES[text[i + 1] ?? ''] ?? text[i + 1] ?? '';
        i += 2;
      } else value += text[i++];
    }
    if (i >= text.length) throw new Error('unterminated label value');
    labels[key] = value;
    i++;
  }
  if (text[i] !== '}') throw new Error('unterminated label set');
  return { labels, end: i + 1 };
}

/** Every sample of an exposition; a malformed line is skipped rather than failing the scrape. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    try {
      const brace = line.indexOf('{');
      const space = line.indexOf(' ');
      let name: string;
      let labels: Record<string, string> = {};
      let rest: string;
      if (brace !== -1 && (space === -1 || brace < space)) {
        name = line.slice(0, brace);
        const parsed = parseLabels(line, brace + 1);
        labels = parsed.labels;
        rest = line.slice(parsed.end);
      } else {
        name = line.slice(0, space);
        rest = line.slice(space);
      }
      const valueText = rest.trim().split(/\s+/)[0] ?? '';
      const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
      if (name && valueText && !Number.isNaN(value)) samples.push({ name, labels, value });
    } catch {
      // malformed line: skipped
    }
  }
  return samples;
}
