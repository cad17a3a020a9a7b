// URL state: "#/forces?states=US,RU&scale=log". The page and its filters live in the hash, so a
// chart can be linked, works from any path prefix, and needs no server-side routing.

export function parseHash(hash) {
  const h = (hash || "").replace(/^#/, "");
  const [path, query = ""] = h.split("?");
  const page = path.replace(/^\//, "") || "forces";
  const params = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  return { page, params };
}

export function formatHash(page, params) {
  const q = new URLSearchParams();
  for (const k of Object.keys(params).sort()) {
    const v = params[k];
    if (v === undefined || v === null || v === "") continue;
    q.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const s = q.toString();
  return `#/${page}${s ? "?" + s : ""}`;
}

export function listParam(value, fallback) {
  if (value === undefined || value === null || value === "") return fallback;
  return String(value).split(",").filter(Boolean);
}
