// `npm run dev`: the login screen on a page of its own, against the fake ETNA server behind /api/.
import '../../ui-common/example-page.css';
import { mount } from 'svelte';
import { api, machine } from '../../ui-common/example-machine.js';
import EtnaLogin from './EtnaLogin.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app');
mount(EtnaLogin, { target, props: { machine, api } });
