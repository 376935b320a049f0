import { mount } from 'svelte';
// Before the components: their own rules of the same weight come later and win.
import './ui/panel.css';
import App from './ui/App.svelte';
import './ui/global.css';

mount(App, { target: document.getElementById('app')! });
