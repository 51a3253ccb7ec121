"""The HTML twin's one stylesheet, inlined so the file stands alone.

Sizes are in rem, so the reader's own font size scales the whole page (and the charts,
which are as wide as the text column); black on white, meaning never in colour alone
(the draft banner says DRAFT, flagged cells carry a mark); and print rules so the file
prints as a plain document with table headers repeated on each page.
"""

from __future__ import annotations

CSS = """\
html { font-size: 100%; }
body { margin: 0; color: #0b0c0c; background: #fff; line-height: 1.5;
  font-family: Arial, "Liberation Sans", "DejaVu Sans", "Noto Sans", "Noto Naskh Arabic",
  sans-serif; }
header, main, footer { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: -100rem; }
.skip:focus { position: static; display: inline-block; padding: 0.5rem; }
.marking { margin: 1rem 0; padding: 0.25rem 0.5rem; border: 0.125rem solid #0b0c0c;
  text-align: center; font-weight: bold; letter-spacing: 0.05em; }
.draft { margin: 1rem 0; padding: 0.5rem; border: 0.25rem solid #d4351c;
  text-align: center; font-size: 1.25rem; font-weight: bold; }
h1 { font-size: 2rem; line-height: 1.2; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.5rem; line-height: 1.25; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
h4, h5, h6 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
.subtitle { font-size: 1.25rem; }
p, li, td, th, caption, figcaption, h1, h2, h3, h4, h5, h6 { overflow-wrap: anywhere; }
p, li, td, th, caption, figcaption { white-space: pre-line; }
.lead { font-size: 1.2rem; }
.caveat { border-left: 0.3rem solid #505a5f; padding-left: 0.75rem; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 0.3rem solid #b1b4b6; }
nav ol { padding-left: 1.5rem; }
a { color: #1d70b8; }
a:focus { outline: 0.2rem solid #ffdd00; background: #ffdd00; color: #0b0c0c; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
th, td { border: 0.0625rem solid #505a5f; padding: 0.25rem 0.5rem; text-align: left;
  vertical-align: top; }
thead th { background: #f3f2f1; border-bottom: 0.125rem solid #0b0c0c; }
td.num { text-align: right; }
.flagged { background: #f3f2f1; }
.mark { font-weight: bold; }
.table-note { font-size: 0.95rem; margin: 0.25rem 0 0; }
figure { margin: 1.5rem 0 0.5rem; }
figcaption { font-weight: bold; margin-bottom: 0.5rem; }
figure svg { width: 100%; height: auto; }
@media print {
  body { font-size: 11pt; }
  header, main, footer { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .skip { display: none; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; }
  h1, h2, h3, h4, caption, figcaption { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  nav { break-after: page; }
}
"""
