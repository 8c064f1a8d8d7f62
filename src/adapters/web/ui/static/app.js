// Fonts are loaded by Bootstrap Italia from our own static files (no inline script: the CSP forbids it).
if (window.bootstrap && typeof window.bootstrap.loadFonts === 'function') {
  window.bootstrap.loadFonts('/static/bootstrap-italia/fonts');
}
