// Lamina Studio's few behaviours: local time for DateTime values (UTC kept beside them), the
// filter form's operator choice, and the browser's time-zone offset sent with every save.
"use strict";

function localText(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

function toLocalInput(iso) {  // "2026-12-04T05:00:00.000Z" -> the datetime-local value in local time
  const d = new Date(iso);
  if (isNaN(d)) return "";
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

document.addEventListener("DOMContentLoaded", () => {
  for (const t of document.querySelectorAll("time[datetime]")) {
    const iso = t.getAttribute("datetime");
    t.textContent = localText(iso);
    t.title = "UTC " + iso;
  }
  for (const input of document.querySelectorAll("input[type=datetime-local][data-utc]")) {
    const iso = input.dataset.utc;
    if (iso && !input.value) input.value = /Z$|[+-]\d\d:\d\d$/.test(iso) ? toLocalInput(iso) : iso;
  }
  const tz = document.querySelector("input[name=__tz]");
  if (tz) tz.value = String(new Date().getTimezoneOffset());
  const filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("submit", () => {
      for (const select of filters.querySelectorAll("select[data-field]")) {
        const field = select.dataset.field;
        const input = filters.querySelector(`input[data-field="${CSS.escape(field)}"]`);
        if (!input) continue;
        const op = select.value;
        input.name = `f.${field}.${op}`;
        if (op === "null" || op === "notnull") input.value = "1";
        else if (input.value === "") input.removeAttribute("name");
        select.removeAttribute("name");
      }
      const where = filters.querySelector("input[name=where]");
      if (where && where.value === "") where.removeAttribute("name");
    });
  }
});
