// Starts GOV.UK Frontend's components (a module file: no inline script under our CSP).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();

// Every plain table stacks on a phone (below the tablet breakpoint) rather than pushing the page
// sideways: each cell is given its column's heading (data-label), shown above its value. Tables
// with merged or several header rows scroll in their own region instead (.yjs-table-scroll).
for (const table of document.querySelectorAll("main table.govuk-table")) {
  if (table.closest(".yjs-table-scroll") || table.classList.contains("yjs-stacked-table")) continue;
  const heads = table.querySelectorAll("thead tr");
  if (heads.length !== 1 || heads[0].querySelector("[colspan], [rowspan]")) continue;
  const labels = [...heads[0].children].map((th) => th.textContent.trim());
  for (const row of table.querySelectorAll("tbody tr")) {
    if (row.querySelector("[colspan]")) continue;
    [...row.children].forEach((cell, i) => {
      if (!cell.hasAttribute("data-label") && labels[i]) cell.setAttribute("data-label", labels[i]);
    });
  }
  table.classList.add("yjs-responsive-table");
}
