// Small DOM helpers shared by the pages: elements, tables, the chart frame with its source line,
// "download CSV", "download metadata" and the table alternative.
import { download } from "./csv.js";

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "on") for (const [ev, f] of Object.entries(v)) e.addEventListener(ev, f);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

export function table(rows, columns) {
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c.label)))),
    el(
      "tbody",
      {},
      rows.map((r) => el("tr", {}, columns.map((c) => el("td", {}, c.format ? c.format(r) : String(r[c.key] ?? ""))))),
    ),
  );
}

// A figure: title, chart, source line, buttons, and a table view toggled by the user.
export function chartFrame({ id, title, chart, source, csvName, csv, metadata, tableView }) {
  const tableBox = el("div", { class: "table-view", hidden: true, id: `${id}-table` }, tableView);
  const toggle = el("button", {
    type: "button", "aria-controls": `${id}-table`, "aria-expanded": "false",
    on: { click: () => {
      tableBox.hidden = !tableBox.hidden;
      toggle.setAttribute("aria-expanded", String(!tableBox.hidden));
      toggle.textContent = tableBox.hidden ? "Show table" : "Hide table";
    } },
  }, "Show table");
  return el(
    "figure",
    { id, class: "chart-frame" },
    el("figcaption", {}, title),
    el("div", { class: "chart", "data-chart": id }, chart),
    el("p", { class: "source" }, "Source: ", source),
    el("div", { class: "actions" },
      el("button", { type: "button", "data-action": "csv", on: { click: () => download(csvName, csv()) } }, "Download CSV"),
      el("button", { type: "button", "data-action": "metadata", on: { click: () => download(csvName.replace(/\.csv$/, ".meta.json"), JSON.stringify(metadata(), null, 2), "application/json") } }, "Download metadata"),
      toggle),
    tableBox,
  );
}

export const fmt = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("en-US"));

// What the Log and Inspections pages say on a server without logs (api/regime.json lists none).
export const NO_REGIME = "No logs here: this server shows no regime. Run `tally dashboard --network FILE --log DIR ... --documents DIR` (for example over the folder `tally exercise --out DIR` writes), or open a party's tallyd.";
