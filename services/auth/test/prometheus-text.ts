/** Reading Prometheus text exposition in tests: scrape a /metrics listener and look up samples. */

/** One sample line: metric name, labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the text format (comments skipped; label values unescaped). */
export function parseSamples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The samples of one scrape, looked up by name and labels. */
export class Scrape {
  readonly samples: Sample[];
  constructor(readonly text: string) {
    this.samples = parseSamples(text);
  }

  /** The sum of the samples named `name` whose labels include `labels`; undefined when none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const hits = this.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    return hits.length === 0 ? undefined : hits.reduce((sum, s) => sum + s.value, 0);
  }

  /** Every metric name exposed (without _bucket/_sum/_count suffixes for histograms). */
  names(): Set<string> {
    return new Set(this.samples.map((s) => s.name.replace(/_(bucket|sum|count)$/, "")));
  }
}

/** GETs http://127.0.0.1:<port>/metrics; throws unless 200. */
export async function scrape(port: number, token?: string): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${text}`);
  return new Scrape(text);
}
