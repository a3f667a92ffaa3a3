/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The application key (Et-App-Key) the page sends; `npm run dev` sets it to the fake ETNA server's. */
  readonly VITE_ETNA_APP_KEY: string;
  /** Optional: the session's lifetime in ms (more than the minute of warning); unset, the platform's 24 hours. */
  readonly VITE_ETNA_SESSION_LIFETIME?: string;
  /** `ETNA_AUTH_BFF=1 npm run dev`: true when the login runs on the dev server's backend (etna-auth/server). */
  readonly VITE_ETNA_BFF?: boolean;
}
