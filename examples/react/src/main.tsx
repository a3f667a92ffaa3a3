// `npm run dev`: the login screen on a page of its own, against the fake ETNA server behind /api/.
import '../../ui-common/example-page.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api, machine } from '../../ui-common/example-machine.js';
import { EtnaLogin } from './EtnaLogin.js';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app');
createRoot(root).render(
  <StrictMode>
    <EtnaLogin machine={machine} api={api} />
  </StrictMode>,
);
