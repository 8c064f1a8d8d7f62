import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

/**
 * swagger-ui's own colours and controls fall short of WCAG 2.1 AA (axe): white on light method badges, pale links,
 * examples that scroll without being reachable by keyboard, form controls without a name. Darker colours of the same hues, and the page without the top bar (an unlabelled
 * address field and a logo without text) or the deep links (links nested in the operations' buttons).
 */
const ACCESSIBLE_CSS = `
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #0d5aa7; }
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #17794a; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #9a5200; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b3261e; }
.swagger-ui .info .title small pre.version { background: #5b6170; }
.swagger-ui .info .title small.version-stamp { background: #4a6b00; }
.swagger-ui .info a, .swagger-ui .info .url, .swagger-ui .info .link { color: #1a5fb4; }
.swagger-ui .btn.authorize { color: #17794a; border-color: #17794a; }
.swagger-ui .btn.authorize svg { fill: #17794a; }
.swagger-ui .json-schema-2020-12-expand-deep-button, .swagger-ui .parameter__in { color: #555555; }
.swagger-ui .btn.cancel { color: #b3261e; border-color: #b3261e; }
.swagger-ui .btn.execute { background: #1a5fb4; border-color: #1a5fb4; }
.swagger-ui .response-control-media-type__accept-message, .swagger-ui .response-control-media-type__accept-message code { color: #4a6b00; }
.swagger-ui .highlight-code > .microlight { overflow: visible !important; max-height: none; white-space: pre-wrap; word-break: break-word; }
`;

/** Names for the form controls swagger-ui leaves without one (the server list, the "Try it out" fields), as they appear. */
const CONTROL_NAMES_JS = `(function () {
  function name(control, text) { if (!control.hasAttribute('aria-label')) control.setAttribute('aria-label', text); }
  function nameAll() {
    document.querySelectorAll('#servers').forEach(function (c) { name(c, 'Server'); });
    document.querySelectorAll('tr[data-param-name] select, tr[data-param-name] input').forEach(function (c) { name(c, c.closest('tr').dataset.paramName); });
    document.querySelectorAll('textarea.body-param__text').forEach(function (c) { name(c, 'Corpo della richiesta (JSON)'); });
  }
  new MutationObserver(nameAll).observe(document.getElementById('swagger-ui'), { childList: true, subtree: true });
})();
`;

export const apiDocsOptions: FastifySwaggerUiOptions = {
  routePrefix: '/api/docs',
  staticCSP: true,
  theme: {
    title: 'Pratica Online - API per gli uffici',
    css: [{ filename: 'accessible.css', content: ACCESSIBLE_CSS }],
    js: [{ filename: 'control-names.js', content: CONTROL_NAMES_JS }],
  },
  uiConfig: { layout: 'BaseLayout', deepLinking: false },
};
