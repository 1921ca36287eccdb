package report

// pageCSS is the style sheet of the HTML report, inline in the page so
// that the file reads the same mailed as an attachment, opened offline or
// printed. On a wide screen the table of contents sits in a column of its
// own beside the report; on a narrow screen it opens the page; on paper,
// where its links lead nowhere, it is left out and wide tables wrap to the
// page's width. System fonts only: the page loads nothing.
const pageCSS = `:root {
  --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --band: #f6f8fa; --accent: #0b5cad;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
}
main { max-width: 1040px; padding: 16px 28px 48px; }
h1 { font-size: 1.9em; margin: 0.3em 0 0.2em; }
h2 { font-size: 1.4em; margin: 1.8em 0 0.6em; padding-bottom: 0.2em; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.15em; margin: 1.4em 0 0.5em; }
h1 + p { color: var(--muted); margin-top: 0; }
h2:first-of-type { margin-top: 0.8em; }
a { color: var(--accent); }
p, ul, ol { margin: 0.5em 0 0.8em; }
li { margin: 0.15em 0; }
code { font: 0.88em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  background: var(--band); padding: 0.1em 0.3em; border-radius: 4px; }
img { display: block; max-width: 100%; height: auto; margin: 0.6em 0; border: 1px solid var(--rule); }
.table-wrap { width: fit-content; max-width: 100%; overflow-x: auto; margin: 0.6em 0 1em; border: 1px solid var(--rule); border-radius: 6px; }
table { border-collapse: collapse; font-size: 0.9em; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
th { background: var(--band); position: sticky; top: 0; font-weight: 600; }
td:not([style]) { min-width: 10em; }
tbody tr:nth-child(even) { background: #fbfcfd; }
tbody tr:last-child td { border-bottom: 0; }
nav.toc { font-size: 0.88em; padding: 12px 20px; border-bottom: 1px solid var(--rule); background: var(--band); }
nav.toc .toc-title { font-weight: 600; margin: 0 0 0.3em; }
nav.toc ul { list-style: none; margin: 0; padding: 0; }
nav.toc ul ul { padding-left: 1em; font-size: 0.95em; }
nav.toc li { margin: 0.1em 0; }
nav.toc a { color: var(--ink); text-decoration: none; }
nav.toc a:hover { color: var(--accent); text-decoration: underline; }
@media screen and (min-width: 1000px) {
  body { display: flex; align-items: flex-start; }
  nav.toc { order: 0; flex: 0 0 250px; position: sticky; top: 0; height: 100vh; overflow-y: auto;
    border-bottom: 0; border-right: 1px solid var(--rule); }
  main { order: 1; flex: 1 1 auto; min-width: 0; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  a { color: var(--ink); text-decoration: none; }
  h2, h3 { break-after: avoid; }
  img { max-height: 120mm; width: auto; break-inside: avoid; border: 0; }
  .table-wrap { overflow: visible; border: 0; }
  table { font-size: 7pt; max-width: 100%; }
  th { position: static; }
  th, td { padding: 2pt 3pt; overflow-wrap: anywhere; }
  td:not([style]) { min-width: 6em; }
  td[style] { white-space: nowrap; overflow-wrap: normal; }
  tr { break-inside: avoid; }
}
`
