// The dashboard: loads the data documents once, renders the page the URL hash names, and keeps
// the filters in the hash (lib/url.js) so that every chart can be linked.
import "./style.css";
import { renderForces } from "./pages/forces.js";
import { renderTreaties } from "./pages/treaties.js";
import { renderConfidence } from "./pages/confidence.js";
import { renderLog } from "./pages/log.js";
import { renderInspections } from "./pages/inspections.js";
import { formatHash, parseHash } from "./lib/url.js";

const PAGES = {
  forces: { render: renderForces, title: "Forces", needs: ["forces"] },
  treaties: { render: renderTreaties, title: "Treaties", needs: ["treaties", "replays"] },
  confidence: { render: renderConfidence, title: "Confidence", needs: ["bands", "upload", "projections"] },
  log: { render: renderLog, title: "The log", needs: ["regime"] },
  inspections: { render: renderInspections, title: "Inspections", needs: ["inspections"] },
};
const SOURCES = {
  forces: "api/forces.json", treaties: "api/treaties.json", replays: "api/replays.json", bands: "api/bands.json", upload: "api/upload.json", projections: "api/projections.json",
  regime: "api/regime.json", inspections: "api/inspections.json",
};

const cache = {};

function load(name) {
  cache[name] ??= fetch(SOURCES[name]).then((r) => {
    if (!r.ok) throw new Error(`${SOURCES[name]}: HTTP ${r.status}`);
    return r.json();
  });
  return cache[name];
}

let generation = 0;

async function route() {
  const mine = ++generation;
  const { page, params } = parseHash(location.hash);
  const p = PAGES[page] || PAGES.forces;
  const name = PAGES[page] ? page : "forces";
  const main = document.getElementById("main");
  document.querySelectorAll("nav a[data-page]").forEach((a) => {
    if (a.dataset.page === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
  document.title = `${p.title} · tally dashboard`;
  try {
    const docs = Object.fromEntries(await Promise.all(p.needs.map(async (n) => [n, await load(n)])));
    const setParams = (next) => { location.hash = formatHash(name, next); };
    delete main.dataset.ready;
    // Pages that verify in the browser render asynchronously; a later navigation wins.
    const target = document.createElement("div");
    await p.render(target, docs, params, setParams);
    if (mine !== generation) return;
    main.replaceChildren(...target.childNodes);
    main.dataset.ready = name;
    performance.mark("tally:chart-rendered");
  } catch (e) {
    if (mine !== generation) return;
    main.replaceChildren(Object.assign(document.createElement("p"), { role: "alert", textContent: `Could not load the data: ${e.message}` }));
    main.dataset.ready = `${name}-error`;
  }
}

window.addEventListener("hashchange", route);
route();
