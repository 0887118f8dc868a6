import fs from 'node:fs';
import { generateOpenApiDocument, OPENAPI_FILE } from './openapi-document';

// `npm run openapi`: rewrite the committed OpenAPI document from the route schemas.
fs.writeFileSync(OPENAPI_FILE, await generateOpenApiDocument());
console.log(`wrote ${OPENAPI_FILE}`);
