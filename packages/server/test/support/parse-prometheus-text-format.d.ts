// The package ships no types. Its output for labelled histograms and summaries is one merged
// sample (its flattening keeps only the `le`/`quantile` buckets), so tests read those from the text.
declare module "parse-prometheus-text-format" {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
