import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';

// Interactive documentation served from this process (no CDN): Swagger UI's own files, pointed at
// /openapi.json. Its page needs inline styles, so it gets its own content security policy.

const swaggerUi = path.dirname(
  createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
);

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Guideline Review Engine — API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
`;
const start = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true });\n`;

export function docsRoutes(): Router {
  const router = Router();
  router.use(
    '/docs',
    helmet.contentSecurityPolicy({
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    }),
  );
  router.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/docs/start.js', (_req, res) => {
    res.type('text/javascript').send(start);
  });
  router.use('/docs/assets', express.static(swaggerUi, { index: false, maxAge: '1d' }));
  return router;
}
