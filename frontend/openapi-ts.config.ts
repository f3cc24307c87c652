// `npm run gen:api` runs this after dumping openapi.json from the backend.
import { defineConfig } from '@hey-api/openapi-ts';

export default defineConfig({
  input: 'openapi.json',
  output: { path: process.env.OPENAPI_TS_OUTPUT ?? 'src/api/gen' },
  plugins: [
    '@hey-api/typescript',
    '@hey-api/sdk',
    // Errors throw (client.ts turns them into ApiError); the app calls its own origin.
    { name: '@hey-api/client-fetch', throwOnError: true, baseUrl: false },
  ],
});
