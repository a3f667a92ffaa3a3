// `npm run dev`: the login screen on a page of its own, against the fake ETNA server behind /api/.
import '../../ui-common/example-page.css';
import { createApp } from 'vue';
import { api, machine } from '../../ui-common/example-machine.js';
import EtnaLogin from './EtnaLogin.vue';

createApp(EtnaLogin, { machine, api }).mount('#app');
