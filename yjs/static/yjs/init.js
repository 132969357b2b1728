// Starts GOV.UK Frontend's components (a module file: no inline script under our CSP).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
