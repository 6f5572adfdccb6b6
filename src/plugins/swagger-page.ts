/**
 * The Swagger UI page. hapi-swagger's own page loads whatever spec `?url=` names, so a link to
 * this origin could show a look-alike API that asks for a token; this one loads only our spec
 * (Swagger UI's own query config stays off) and has no URL bar. The one script runs under a
 * CSP nonce; the UI's files come from hapi-swagger's /swaggerui/ routes on this origin.
 * Every value put in the page is the plugin's own constant; nothing comes from the request.
 */
export function swaggerPage({ title, specPath, assetsPath, scriptNonce }: {
    title: string;
    specPath: string;
    assetsPath: string;
    scriptNonce: string;
}): string {
    const options = {
        url: specPath,
        dom_id: '#swagger-ui',
        queryConfigEnabled: false,
        validatorUrl: null,
        deepLinking: true,
        layout: 'BaseLayout',
        docExpansion: 'list',
        persistAuthorization: false,
    };
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="${assetsPath}swagger-ui.css">
<link rel="icon" type="image/png" href="${assetsPath}favicon-32x32.png" sizes="32x32"></head>
<body><div id="swagger-ui"></div>
<script src="${assetsPath}swagger-ui-bundle.js"></script>
<script nonce="${scriptNonce}">
window.ui = SwaggerUIBundle(Object.assign(${JSON.stringify(options)}, { presets: [SwaggerUIBundle.presets.apis] }));
</script></body></html>
`;
}

/** Scripts only from this origin (and the page's own nonce); the spec and Try it out only to this origin. */
export function swaggerPagePolicy(scriptNonce: string): string {
    return `default-src 'self'; script-src 'self' 'nonce-${scriptNonce}'; style-src 'self' 'unsafe-inline'; `
        + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
}
