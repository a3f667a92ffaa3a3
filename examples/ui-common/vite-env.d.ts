/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The application key (Et-App-Key) the page sends; `npm run dev` sets it to the fake ETNA server's. */
  readonly VITE_ETNA_APP_KEY: string;
}
