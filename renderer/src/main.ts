import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { browserDoor } from './lib/door';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// The desktop's preload provides window.tokendesk; a tab of `tokendesk ui` loads the HTTP twin.
const api = browserDoor ? (await import('./lib/web-bridge')).webBridge() : window.tokendesk;

export default mount(App, { target, props: { api } });
