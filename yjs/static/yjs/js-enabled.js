// GOV.UK Frontend's body classes, from a file because the Content-Security-Policy allows no
// inline script. Loaded at the top of <body>, before anything is painted.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
